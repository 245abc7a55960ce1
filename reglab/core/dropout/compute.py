"""Lab 5 — dropout: a small torch network trained epoch by epoch, regularized four ways.

Reference: ``Linear(in, 256) -> ReLU -> Dropout(p) -> Linear(256, 128) -> ReLU -> Dropout(p)
-> Linear(128, classes)``, p = 0.3, Adam, early stopping on validation loss (patience 10,
best weights restored), optional L2 (weight decay), L1 on the weights and Gaussian input
noise. Default data: ``make_classification(3000, 100, n_informative=20, n_redundant=10,
n_classes=10, n_clusters_per_class=1)``, stratified 60/20/20 train/validation/test;
``dataset=reference`` is the same with the SPEC's 1500 rows.

This is the only module of reglab that imports torch. ``run`` streams a ``TrainingSnapshot``
after every epoch (``Progress.partial``) and reads a ``TrainingControls`` at the start of
every epoch, so weight decay, L1 and the optimizer can change while the network trains.
``run_compare`` trains dropout 0 beside the chosen p on the same data and seed, with the
chosen patience or (``baseline_patience=0``) without early stopping.

Determinism: the model is initialised and dropout masks are drawn from torch's global RNG
after ``torch.manual_seed(seed)``; shuffling and input noise come from a seeded
``torch.Generator``. Each training keeps its own copy of the global RNG state between
epochs (and the caller's state is restored afterwards), so two trainings interleaved in one
thread give exactly the histories they give alone. Two trainings in *different* threads at
the same time would share the global RNG: run one at a time.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.nn import functional as F

from reglab.core.datasets import Dataset, data_key, load
from reglab.core.dropout.params import LIVE_KNOBS, DropoutParams
from reglab.core.errors import DataError, ParamError
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.results import LabResult
from reglab.core.spec import specs, step_value, validate_value

HIDDEN = (256, 128)
# Threads torch may use while training (None: leave torch's setting alone). One thread was
# ~35 % faster for this small network on the 2-core reference machine and leaves a core for
# the UI; the benchmark switches this to compare.
TRAINING_THREADS: int | None = 1


def warm_up() -> None:
    """Pay torch's one-off lazy costs now: the first optimizer imports ``torch._dynamo``
    (~1 s here). The dropout tab's worker calls this once, before its first training."""
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])


# --- data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """Standardized train/validation/test tensors (scaler fit on the training rows only)."""

    X_train: torch.Tensor
    y_train: torch.Tensor
    X_val: torch.Tensor
    y_val: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor
    n_classes: int
    name: str

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n_train": len(self.y_train),
            "n_val": len(self.y_val),
            "n_test": len(self.y_test),
            "n_features": self.n_features,
            "n_classes": self.n_classes,
        }


# Rows of the synthetic data. The SPEC's reference has 1500 (900 to train), where early
# stopping alone regularizes p = 0 about as well as dropout does: test accuracy 52.0 % at
# p = 0 against 53.5 % at p = 0.3 (mean of seeds 0-4). With 3000 rows p = 0 still overfits
# from epoch ~8 while p = 0.3 keeps improving ~10 epochs longer: 61.8 % against 67.2 %
# (seeds 0-4; the gain is 2.0 to 6.5 points on each of seeds 0-9 and 42).
SYNTHETIC_ROWS = 3000
REFERENCE_ROWS = 1500


def synthetic_data(seed: int, n_samples: int = SYNTHETIC_ROWS, name: str = "synthetic") -> Dataset:
    """The lab's synthetic data: ten classes, 100 features of which 20 informative."""
    X, y = make_classification(
        n_samples=n_samples,
        n_features=100,
        n_informative=20,
        n_redundant=10,
        n_classes=10,
        n_clusters_per_class=1,
        random_state=seed,
    )
    return Dataset(X, y, tuple(f"x{i}" for i in range(X.shape[1])), name)


def load_dataset(params: DropoutParams) -> Dataset:
    if params.dataset == "synthetic":
        return synthetic_data(params.seed)
    if params.dataset == "reference":
        return synthetic_data(params.seed, REFERENCE_ROWS, "reference")
    return load(data_key(params, "classification"))


def split_data(data: Dataset, seed: int, device: torch.device) -> Split:
    """Stratified 60/20/20: 40 % held out, then halved into validation and test."""
    _, y = np.unique(data.y, return_inverse=True)
    try:
        X_train, X_rest, y_train, y_rest = train_test_split(
            data.X, y, test_size=0.4, random_state=seed, stratify=y
        )
        X_val, X_test, y_val, y_test = train_test_split(
            X_rest, y_rest, test_size=0.5, random_state=seed, stratify=y_rest
        )
    except ValueError as error:
        raise DataError(
            f"data: cannot make a stratified 60/20/20 split of {data.name}: {error}"
        ) from None
    scaler = StandardScaler().fit(X_train)

    def features(X: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(scaler.transform(X), dtype=torch.float32, device=device)

    def labels(values: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(values, dtype=torch.long, device=device)

    return Split(
        features(X_train),
        labels(y_train),
        features(X_val),
        labels(y_val),
        features(X_test),
        labels(y_test),
        int(y.max()) + 1,
        data.name,
    )


# --- model and device -------------------------------------------------------------------


def build_network(n_features: int, n_classes: int, dropout: float) -> nn.Sequential:
    """The reference network; draws its initial weights from torch's global RNG."""
    first, second = HIDDEN
    return nn.Sequential(
        nn.Linear(n_features, first),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(first, second),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(second, n_classes),
    )


def resolve_device(choice: str) -> torch.device:
    """``auto`` picks CUDA when torch sees a GPU; asking for CUDA without one is an error."""
    if choice == "cpu" or choice == "auto" and not torch.cuda.is_available():
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise ParamError(
            "device",
            "cuda is not available here (torch sees no GPU); use device=auto or device=cpu",
        )
    return torch.device("cuda")


def device_name(device: torch.device) -> str:
    return torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"


def make_optimizer(model: nn.Module, params: DropoutParams) -> torch.optim.Adam:
    """Adam adds weight decay to the gradient (L2); AdamW decays the weights directly."""
    kind = torch.optim.AdamW if params.optimizer == "adamw" else torch.optim.Adam
    return kind(model.parameters(), lr=params.lr, weight_decay=params.weight_decay)


# --- what a training reports ------------------------------------------------------------


@dataclass(frozen=True)
class EpochStats:
    """One epoch. Training numbers are the batch means of the epoch as trained (dropout and
    input noise active, cross-entropy only: the L1 term is left out so curves stay comparable
    when L1 changes); validation numbers are measured afterwards in eval mode."""

    epoch: int
    train_loss: float
    val_loss: float
    train_accuracy: float
    val_accuracy: float


@dataclass(frozen=True)
class RegularizationChange:
    """A knob changed mid-run; ``epoch`` is the first epoch trained with the new value."""

    epoch: int
    name: str
    old: float | str
    new: float | str


@dataclass(frozen=True)
class TrainingSnapshot:
    """What a live chart needs after each epoch (sent as ``Progress.partial``).

    ``history`` and ``changes`` are tuples copied at that moment, so the UI thread may keep
    and read a snapshot while training goes on.
    """

    history: tuple[EpochStats, ...]
    best_epoch: int | None
    best_val_loss: float
    max_epochs: int
    patience: int
    changes: tuple[RegularizationChange, ...]
    regularization: dict[str, float | str]
    dropout: float
    device: str
    elapsed: float  # seconds of training so far (not part of the result: it is not seeded)

    @property
    def epoch(self) -> int:
        return len(self.history)

    @property
    def epochs_per_second(self) -> float:
        return self.epoch / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(frozen=True)
class CompareSnapshot:
    """``run_compare``'s partial: dropout 0 and the chosen p, each as far as it has got."""

    baseline: TrainingSnapshot
    chosen: TrainingSnapshot


@dataclass(frozen=True)
class DropoutResult(LabResult):
    params: DropoutParams  # narrows LabResult.params (same field, same place)
    history: list[EpochStats]
    best_epoch: int
    stopped_epoch: int
    early_stopped: bool
    test_accuracy: float
    device: str
    device_name: str
    best_val_loss: float
    test_loss: float
    stopped_by_user: bool
    # Mid-run changes to weight decay, L1 or the optimizer, for marks on the charts.
    regularization_changes: list[RegularizationChange]
    final_regularization: dict[str, float | str]
    data: dict[str, Any]


@dataclass(frozen=True)
class DropoutComparison:
    """Dropout 0 (``baseline``) and the chosen p (``chosen``), same data, seed and knobs;
    the baseline's patience is the chosen one's or 0 (no early stopping)."""

    baseline: DropoutResult
    chosen: DropoutResult

    def to_json(self) -> dict[str, Any]:
        return {
            "lab": "dropout",
            "mode": "compare",
            "baseline": self.baseline.to_json(),
            "chosen": self.chosen.to_json(),
        }


# --- live controls ----------------------------------------------------------------------


class TrainingControls:
    """Knobs the app may turn while a training runs (from any thread).

    The training reads ``values()`` at the start of every epoch and applies what changed
    without restarting: weight decay goes into the optimizer's param groups, L1 into the
    loss, and ``optimizer`` flips Adam's ``decoupled_weight_decay`` (Adam <-> AdamW, keeping
    the moment estimates). ``request_stop()`` ends training after the current epoch with
    the best weights restored and a test accuracy, unlike cancelling, which discards it.
    """

    def __init__(self, weight_decay: float = 0.0, l1: float = 0.0, optimizer: str = "adam"):
        self._lock = threading.Lock()
        self._values: dict[str, float | str] = {}
        self._stop = False
        self.set(weight_decay=weight_decay, l1=l1, optimizer=optimizer)

    @classmethod
    def from_params(cls, params: DropoutParams) -> TrainingControls:
        return cls(params.weight_decay, params.l1, params.optimizer)

    def values(self) -> dict[str, float | str]:
        with self._lock:
            return dict(self._values)

    def set(self, **values: float | str) -> None:
        """Change knobs by name (``weight_decay``, ``l1``, ``optimizer``); validated against
        DropoutParams' ranges, so a bad value raises ``ParamError`` and changes nothing."""
        known = specs(DropoutParams)
        checked = {}
        for name, value in values.items():
            if name not in LIVE_KNOBS:
                raise ParamError(
                    name, "cannot change while training; live: " + ", ".join(LIVE_KNOBS)
                )
            checked[name] = validate_value(name, known[name], value)
        with self._lock:
            self._values.update(checked)

    def step(self, name: str, direction: int, big: bool = False) -> float | str:
        """One key press up (+1) or down (-1), by the parameter's own step; returns the new
        value. Log knobs step by decades from their floor; ``optimizer`` toggles."""
        if name not in LIVE_KNOBS:
            raise ParamError(name, "cannot change while training; live: " + ", ".join(LIVE_KNOBS))
        spec = specs(DropoutParams)[name]
        with self._lock:
            self._values[name] = step_value(spec, self._values[name], direction, big)
            return self._values[name]

    def request_stop(self) -> None:
        with self._lock:
            self._stop = True

    @property
    def stop_requested(self) -> bool:
        with self._lock:
            return self._stop


# --- training ---------------------------------------------------------------------------


def _rng_devices(device: torch.device) -> list[int]:
    return [device.index or 0] if device.type == "cuda" else []


class _Training:
    """One network's training, one epoch per ``train_epoch()`` call."""

    def __init__(
        self,
        params: DropoutParams,
        split: Split,
        device: torch.device,
        controls: TrainingControls | None,
    ) -> None:
        self.params, self.split, self.device, self.controls = params, split, device, controls
        torch.manual_seed(params.seed)
        self.model = build_network(split.n_features, split.n_classes, params.dropout).to(device)
        self.rng_state = self._global_rng()
        # Shuffling and input noise; drawn on the CPU so every device sees the same numbers.
        self.generator = torch.Generator().manual_seed(params.seed)
        self.optimizer = make_optimizer(self.model, params)
        self.weights = [m.weight for m in self.model if isinstance(m, nn.Linear)]
        self.knobs: dict[str, float | str] = {
            "weight_decay": params.weight_decay,
            "l1": params.l1,
            "optimizer": params.optimizer,
        }
        self.history: list[EpochStats] = []
        self.changes: list[RegularizationChange] = []
        # Epoch 0 = the initial weights, kept in case validation loss is never finite.
        self.best_epoch, self.best_val_loss = 0, math.inf
        self.best_state = self._copy_state()
        self.early_stopped = self.stopped_by_user = False
        self.elapsed = 0.0

    @property
    def epoch(self) -> int:
        return len(self.history)

    def done(self) -> bool:
        """Whether training is over; a stop request counts once at least one epoch ran."""
        finished = self.early_stopped or self.epoch >= self.params.max_epochs
        stop = self.controls is not None and self.controls.stop_requested
        if stop and not finished and self.epoch:
            self.stopped_by_user = True
        return finished or self.stopped_by_user

    def _global_rng(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        cuda = torch.cuda.get_rng_state(self.device) if self.device.type == "cuda" else None
        return torch.get_rng_state(), cuda

    def _set_global_rng(self, state: tuple[torch.Tensor, torch.Tensor | None]) -> None:
        torch.set_rng_state(state[0])
        if state[1] is not None:
            torch.cuda.set_rng_state(state[1], self.device)

    def _copy_state(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def _apply_controls(self, epoch: int) -> None:
        if self.controls is None:
            return
        for name, new in self.controls.values().items():
            old = self.knobs[name]
            if new == old:
                continue
            self.knobs[name] = new
            self.changes.append(RegularizationChange(epoch, name, old, new))
            for group in self.optimizer.param_groups:
                if name == "weight_decay":
                    group["weight_decay"] = new
                elif name == "optimizer":
                    group["decoupled_weight_decay"] = new == "adamw"

    def train_epoch(self, cancelled: CancelledCallback | None) -> EpochStats:
        epoch = self.epoch + 1
        self._apply_controls(epoch)
        self._set_global_rng(self.rng_state)
        start = time.perf_counter()
        train_loss, train_accuracy = self._train_batches(cancelled)
        val_loss, val_accuracy = self.evaluate(self.split.X_val, self.split.y_val)
        self.elapsed += time.perf_counter() - start
        self.rng_state = self._global_rng()
        stats = EpochStats(epoch, train_loss, val_loss, train_accuracy, val_accuracy)
        self.history.append(stats)
        if val_loss < self.best_val_loss:
            self.best_epoch, self.best_val_loss = epoch, val_loss
            self.best_state = self._copy_state()
        elif self.params.patience and epoch - self.best_epoch >= self.params.patience:
            self.early_stopped = True
        return stats

    def _train_batches(self, cancelled: CancelledCallback | None) -> tuple[float, float]:
        X, y = self.split.X_train, self.split.y_train
        batch, noise = self.params.batch_size, self.params.augment_noise
        l1 = float(self.knobs["l1"])
        order = torch.randperm(len(y), generator=self.generator).to(self.device)
        total_loss = torch.zeros((), device=self.device)
        correct = torch.zeros((), dtype=torch.long, device=self.device)
        self.model.train()
        for start in range(0, len(y), batch):
            check_cancelled(cancelled)
            rows = order[start : start + batch]
            inputs, targets = X[rows], y[rows]
            if noise > 0:
                jitter = torch.randn(inputs.shape, generator=self.generator)
                inputs = inputs + noise * jitter.to(self.device)
            logits = self.model(inputs)
            loss = F.cross_entropy(logits, targets)
            objective = loss + l1 * sum(w.abs().sum() for w in self.weights) if l1 else loss
            self.optimizer.zero_grad(set_to_none=True)
            objective.backward()
            self.optimizer.step()
            total_loss += loss.detach() * len(targets)
            correct += (logits.detach().argmax(dim=1) == targets).sum()
        return float(total_loss) / len(y), int(correct) / len(y)

    @torch.no_grad()
    def evaluate(self, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        self.model.eval()
        logits = self.model(X)
        loss = float(F.cross_entropy(logits, y))
        correct = int((logits.argmax(dim=1) == y).sum())
        return loss, correct / len(y)

    def snapshot(self) -> TrainingSnapshot:
        return TrainingSnapshot(
            history=tuple(self.history),
            best_epoch=self.best_epoch or None,
            best_val_loss=self.best_val_loss,
            max_epochs=self.params.max_epochs,
            patience=self.params.patience,
            changes=tuple(self.changes),
            regularization=dict(self.knobs),
            dropout=self.params.dropout,
            device=self.device.type,
            elapsed=self.elapsed,
        )

    def finish(self) -> DropoutResult:
        """Restore the best weights and measure the test set."""
        self.model.load_state_dict(self.best_state)
        test_loss, test_accuracy = self.evaluate(self.split.X_test, self.split.y_test)
        notes = []
        if self.best_epoch == 0:
            notes.append(
                "validation loss was never finite: the initial weights were kept (try a smaller lr)"
            )
        return DropoutResult(
            params=self.params,
            history=list(self.history),
            best_epoch=self.best_epoch,
            stopped_epoch=self.epoch,
            early_stopped=self.early_stopped,
            test_accuracy=test_accuracy,
            device=self.device.type,
            device_name=device_name(self.device),
            best_val_loss=self.best_val_loss,
            test_loss=test_loss,
            stopped_by_user=self.stopped_by_user,
            regularization_changes=list(self.changes),
            final_regularization=dict(self.knobs),
            data=self.split.summary(),
            notes=tuple(notes),
        )


@contextlib.contextmanager
def _torch_session(device: torch.device) -> Iterator[None]:
    """Training threads per TRAINING_THREADS, and the caller's RNG state left as it was."""
    previous = torch.get_num_threads()
    if TRAINING_THREADS is not None:
        torch.set_num_threads(TRAINING_THREADS)
    try:
        with torch.random.fork_rng(devices=_rng_devices(device)):
            yield
    finally:
        torch.set_num_threads(previous)


def _prepare(params: DropoutParams) -> tuple[DropoutParams, torch.device, Split]:
    params = params.effective()
    params.check()
    device = resolve_device(params.device)
    return params, device, split_data(load_dataset(params), params.seed, device)


def _message(training: _Training) -> str:
    last = training.history[-1]
    return (
        f"epoch {last.epoch}/{training.params.max_epochs}: train loss "
        f"{last.train_loss:.4f}, val loss {last.val_loss:.4f}"
    )


def run(
    params: DropoutParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
    controls: TrainingControls | None = None,
) -> DropoutResult:
    """Train the reference network; after every epoch report a ``TrainingSnapshot``."""
    params, device, split = _prepare(params)
    with _torch_session(device):
        training = _Training(params, split, device, controls)
        while not training.done():
            check_cancelled(cancelled)
            training.train_epoch(cancelled)
            if progress is not None:
                report(
                    progress,
                    training.epoch / params.max_epochs,
                    _message(training),
                    partial=training.snapshot(),
                )
        check_cancelled(cancelled)
        return training.finish()


def baseline_params(params: DropoutParams, baseline_patience: int | None = None) -> DropoutParams:
    """What ``run_compare`` trains beside ``params``: dropout 0, with ``params``' patience
    unless ``baseline_patience`` is given (0: no early stopping)."""
    patience = params.patience if baseline_patience is None else baseline_patience
    return replace(params, dropout=0.0, patience=patience)


def run_compare(
    params: DropoutParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
    controls: TrainingControls | None = None,
    baseline_patience: int | None = None,
) -> DropoutComparison:
    """Train dropout 0 and the chosen p side by side, one epoch each in turn, so a chart can
    grow both curves together; the partial is a ``CompareSnapshot``. Each history equals
    what ``run`` gives for those parameters alone. ``controls`` (if any) steer both
    networks. ``baseline_patience=0`` trains dropout 0 without early stopping, up to
    ``max_epochs``: the classic overfitting picture beside the chosen p."""
    params, device, split = _prepare(params)
    zero = baseline_params(params, baseline_patience)
    with _torch_session(device):
        chosen = _Training(params, split, device, controls)
        baseline = chosen if zero == params else _Training(zero, split, device, controls)
        trainings = (baseline, chosen) if baseline is not chosen else (chosen,)
        total = sum(t.params.max_epochs for t in trainings)
        while not all(t.done() for t in trainings):
            for training in trainings:
                if training.done():
                    continue
                check_cancelled(cancelled)
                training.train_epoch(cancelled)
                if progress is not None:
                    report(
                        progress,
                        sum(t.epoch for t in trainings) / total,
                        f"dropout {training.params.dropout:g}: {_message(training)}",
                        partial=CompareSnapshot(baseline.snapshot(), chosen.snapshot()),
                    )
        check_cancelled(cancelled)
        chosen_result = chosen.finish()
        baseline_result = chosen_result if baseline is chosen else baseline.finish()
        return DropoutComparison(baseline_result, chosen_result)
