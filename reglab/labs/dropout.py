"""Tab 5 — dropout: a torch network trained live, its loss and accuracy curves growing.

Training runs in the lab's worker and reports a snapshot per epoch; a ``LivePacer`` there
lets one through to the charts only when the app has had spare time (see its docstring), so
the live tab costs the training little on a quiet or a busy machine. Weight decay, L1 and
the optimizer can change while the network trains (a ``TrainingControls`` the worker reads
every epoch), so those three parameters do not restart the run; every other parameter does
(newest wins).

torch is imported by the worker the first time this lab runs, never at app start: this
module must not import ``reglab.core.dropout`` at module level.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reglab.compute.warmup import freeze_heap
from reglab.core.dropout.params import LIVE_KNOBS, DropoutParams
from reglab.core.errors import Cancelled
from reglab.core.jobs import Progress, ProgressCallback, check_cancelled, report
from reglab.core.registry import Lab
from reglab.core.spec import specs, step_value
from reglab.widgets.axes import SERIES_MARKERS, mark_line
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.job_status import JobStatus
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics
from reglab.widgets.param_panel import ParamPanel

if TYPE_CHECKING:  # the result module imports torch: only when the lab first runs
    from reglab.core.dropout.compute import (
        DropoutComparison,
        DropoutResult,
        EpochStats,
        RegularizationChange,
        TrainingControls,
        TrainingSnapshot,
    )

TRAINING_STATUS = "training · k: stop early"

# The comparison views (``DropoutPane.compare``; None: one training): dropout 0 beside the
# chosen p with the same patience, or dropout 0 trained without early stopping.
SAME_PATIENCE, NO_EARLY_STOP = "same-patience", "no-early-stop"

_warm_lock = threading.Lock()
_warmed = False


def warm_torch(progress) -> None:
    """Import torch and pay its first-optimizer cost once, then freeze the heap (gc) so
    collections stop pausing the UI thread. Runs in the worker before the first training."""
    global _warmed
    with _warm_lock:
        if _warmed:
            return
        report(progress, 0.0, "loading torch (first run only)")
        from reglab.core.dropout import compute as dropout

        dropout.warm_up()
        freeze_heap()
        _warmed = True


def other_threads_cpu() -> float:
    """CPU seconds this process has spent outside the calling thread so far."""
    return time.process_time() - time.thread_time()


class LivePacer:
    """Decides, in the training thread, which epochs the live tab draws.

    Drawing is pure Python (plotext builds, the numbers, the repaint), so whichever thread
    does it holds the GIL and the training waits meanwhile: a redraw costs the training
    about the CPU time it takes. That time is measured, not assumed: the process's CPU
    time outside the training thread (the UI, the chart builder, whatever else the app
    does). The first epoch is drawn at once (the new run shows); after that an update goes
    through once the time spent since the last one (since the start, for the second: the
    start's own layout and the first redraw count) is at most ``budget`` of the wall time
    since then. A redraw that costs 40 ms then waits 1 s at 4 %, a cheap one (a small
    terminal) comes sooner, a slow one (a busy machine, a big terminal) later. Skipped
    epochs are not lost: each update carries the whole history. Never sooner than
    ``shortest`` (more than 10 frames a second show nothing more); never later than
    ``longest`` (the tab stays live even while other work keeps the app busy).
    """

    def __init__(
        self,
        budget: float = 0.04,
        shortest: float = 0.1,
        longest: float = 2.0,
        clock: Callable[[], float] = time.perf_counter,
        others: Callable[[], float] = other_threads_cpu,
    ) -> None:
        self.budget, self.shortest, self.longest = budget, shortest, longest
        self.clock, self.others = clock, others
        self._since = (clock(), others())  # (clock, others) when the window began
        self._first = True

    def ready(self, urgent: bool = False) -> bool:
        """Whether an update may go now; if so, the next window starts here. An ``urgent``
        one (it shows what a key just changed) goes at once and counts like any other."""
        if self._first:
            self._first = False
            return True
        now = self.clock()
        waited = now - self._since[0]
        if waited < self.shortest and not urgent:
            return False  # decided before reading the CPU clocks (system calls)
        others = self.others()
        spent = others - self._since[1]
        if spent > self.budget * waited and waited < self.longest and not urgent:
            return False
        self._since = (now, others)
        return True


def paced(progress: ProgressCallback, pacer: LivePacer) -> ProgressCallback:
    """``progress`` with the epochs ``pacer`` skips left out. Updates without a snapshot
    (loading torch) always go; the first epoch after a live change (w, l, a) goes at once,
    so its mark reaches the chart with the key's own response."""
    marked = 0  # live changes in the newest update sent

    def update(progress_update: Progress) -> None:
        nonlocal marked
        partial = progress_update.partial
        if partial is None:
            progress(progress_update)
            return
        # A comparison's two trainings share the controls: the chosen one's list says all.
        changes = len(getattr(partial, "chosen", partial).changes)
        if pacer.ready(urgent=changes != marked):
            marked = changes
            progress(progress_update)

    return update


@dataclass(frozen=True)
class Run:
    """One training as the charts and numbers need it, while it runs or once finished."""

    dropout: float
    patience: int
    history: tuple[EpochStats, ...]
    best_epoch: int | None
    max_epochs: int
    changes: tuple[RegularizationChange, ...]
    device: str
    epochs_per_second: float | None = None
    result: DropoutResult | None = None

    @classmethod
    def live(cls, snapshot: TrainingSnapshot) -> Run:
        return cls(
            snapshot.dropout,
            snapshot.patience,
            snapshot.history,
            snapshot.best_epoch,
            snapshot.max_epochs,
            snapshot.changes,
            snapshot.device,
            snapshot.epochs_per_second,
        )

    @classmethod
    def finished(cls, result: DropoutResult, epochs_per_second: float | None = None) -> Run:
        return cls(
            result.params.dropout,
            result.params.patience,
            tuple(result.history),
            result.best_epoch or None,
            result.params.max_epochs,
            tuple(result.regularization_changes),
            result.device,
            epochs_per_second,
            result,
        )

    @property
    def settings(self) -> tuple[float, int]:
        """What a comparison's two trainings may differ in."""
        return self.dropout, self.patience

    @property
    def epochs(self) -> list[int]:
        return [row.epoch for row in self.history]

    @property
    def epoch(self) -> int:
        return self.history[-1].epoch if self.history else 0

    @property
    def label(self) -> str:
        return f"p={self.dropout:g}" + ("" if self.patience else " no stop")

    @property
    def stopped(self) -> str:
        result = self.result
        if result is None:
            return "training…"
        if result.stopped_by_user:
            return "by you"
        return "early" if result.early_stopped else "max_epochs"


@dataclass(frozen=True)
class Comparison:
    """``run_compare``'s result with what the frame reads from every result: its notes
    (shown under the charts) and ``to_json`` (export)."""

    result: DropoutComparison

    @property
    def runs(self) -> tuple[DropoutResult, DropoutResult]:
        return self.result.baseline, self.result.chosen

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(note for run in self.runs for note in run.notes))

    def to_json(self) -> dict[str, Any]:
        return self.result.to_json()


class DropoutPane(LabPane[DropoutParams, "DropoutResult | Comparison"]):
    # Under the charts a line of the newest result's numbers comes first (``measured``).
    EXPLANATION = (
        "Curves per epoch; green: the best epoch, whose weights early stopping keeps; gray: a "
        "live change. [b]o[/]: dropout 0 without early stopping beside yours (train loss "
        "dives, val loss climbs) · [b]c[/] vs dropout 0 · [b]k[/] stop · [b]w[/]/[b]l[/]/"
        "[b]a[/] decay, L1, AdamW live"
    )
    CANCEL_RUNNING = True
    # The worker's LivePacer decides which epochs reach the screen; the runner's own
    # throttle would drop some of those it lets through.
    PROGRESS_INTERVAL = 0.0

    BINDINGS = [
        Binding(
            "k",
            "stop",
            "stop",
            tooltip="Stop training now, keeping the best weights",
            id="dropout.stop",
        ),
        Binding(
            "t",
            "train",
            "train again",
            show=False,
            tooltip="Train again from scratch",
            id="dropout.train",
        ),
        Binding(
            "w",
            "live_step('weight_decay', 1)",
            "weight decay ×10",
            show=False,
            tooltip="Raise weight decay tenfold; a running training keeps going with it",
            id="dropout.weight-decay-up",
        ),
        Binding(
            "W",
            "live_step('weight_decay', -1)",
            "weight decay ÷10",
            show=False,
            tooltip="Lower weight decay tenfold; a running training keeps going with it",
            id="dropout.weight-decay-down",
        ),
        Binding(
            "l",
            "live_step('l1', 1)",
            "L1 ×10",
            show=False,
            tooltip="Raise the L1 penalty tenfold; a running training keeps going with it",
            id="dropout.l1-up",
        ),
        Binding(
            "L",
            "live_step('l1', -1)",
            "L1 ÷10",
            show=False,
            tooltip="Lower the L1 penalty tenfold; a running training keeps going with it",
            id="dropout.l1-down",
        ),
        Binding(
            "a",
            "live_step('optimizer', 1)",
            "Adam/AdamW",
            show=False,
            tooltip="Switch between Adam (L2 in the gradient) and AdamW (decoupled decay)",
            id="dropout.optimizer",
        ),
        Binding(
            "c",
            "compare",
            "compare",
            tooltip="Train dropout 0 beside the chosen dropout and show both curves",
            id="dropout.compare",
        ),
        Binding(
            "o",
            f"compare('{NO_EARLY_STOP}')",
            "vs no early stop",
            show=False,  # the footer is full at 80 columns; the explanation names the key
            tooltip="Train dropout 0 without early stopping beside the chosen dropout: "
            "the classic overfitting picture",
            id="dropout.compare-no-early-stop",
        ),
    ]

    def __init__(self, lab: Lab, **kwargs: Any) -> None:
        super().__init__(lab, **kwargs)
        self.compare: str | None = None  # a comparison view, or one training
        # Shared with the worker thread, always under the lock: the newest submitted job
        # (its params object, by identity), its mode, the knob values a training should
        # use, that job's controls once its training starts, and a stop asked for before.
        self._lock = threading.Lock()
        self._newest_job: DropoutParams | None = None
        self._newest_compare: str | None = None
        self._live: dict[str, Any] = {}
        self._controls: TrainingControls | None = None
        self._stop_pending = False
        self._speeds: tuple[float | None, ...] = ()
        self.shown: tuple[Run, ...] = ()  # what the charts and numbers show now
        self._status_generation = 0  # the job whose status line says it trains

    def compose_charts(self) -> ComposeResult:
        yield Chart("Loss (cross-entropy) per epoch", id="loss-chart")
        yield Chart("Accuracy (%) per epoch", id="accuracy-chart")

    # --- jobs -------------------------------------------------------------------------

    @property
    def training(self) -> bool:
        """A training job is running or about to start."""
        return self.runner.busy

    def refit(self, params: DropoutParams | None = None) -> None:
        if not self.built:
            return  # as LabPane.refit: start() trains once the controls exist
        # A fresh object: compute() recognises the newest job by it.
        job = replace(self.params if params is None else params)
        with self._lock:
            self._newest_job, self._newest_compare = job, self.compare
            self._live = {name: getattr(job, name) for name in LIVE_KNOBS}
            self._controls, self._stop_pending = None, False
        self._speeds = ()
        self.query_one(JobStatus).running()
        self.query_one(".explanation", Static).update(self.EXPLANATION)  # no stale numbers
        self.runner.submit(job)

    def compute(self, params: DropoutParams, progress, cancelled) -> Any:
        """Worker thread: warm torch once, then train with live controls."""
        warm_torch(progress)
        check_cancelled(cancelled)
        from reglab.core.dropout import compute as dropout

        with self._lock:
            if params is not self._newest_job:
                raise Cancelled()  # replaced before it started: nobody will see it
            params = replace(params, **self._live)  # knobs turned since it was submitted
            controls = dropout.TrainingControls.from_params(params)
            if self._stop_pending:
                controls.request_stop()
            self._controls = controls
            compare = self._newest_compare
        progress = paced(progress, LivePacer())
        if compare is not None:
            patience = 0 if compare == NO_EARLY_STOP else None
            return Comparison(dropout.run_compare(params, progress, cancelled, controls, patience))
        return dropout.run(params, progress, cancelled, controls)

    def on_param_panel_params_changed(self, event: ParamPanel.ParamsChanged) -> None:
        """Weight decay, L1 and the optimizer reach a running training without a restart;
        any other change goes on to LabPane, which cancels the run and starts anew."""
        if event.changed in LIVE_KNOBS and self.training:
            event.stop()
            event.prevent_default()
            value = getattr(event.params, event.changed)
            with self._lock:
                self._live[event.changed] = value
                if self._controls is not None:
                    self._controls.set(**{event.changed: value})

    # --- keys -------------------------------------------------------------------------

    def action_stop(self) -> None:
        # Always in the footer: hiding it while idle would rebuild the footer at every
        # start and end of a training, on the UI thread the training shares (the GIL).
        if not self.training:
            self.notify("Nothing is training.", timeout=2)
            return
        with self._lock:
            if self._controls is not None:
                self._controls.request_stop()
            else:
                self._stop_pending = True

    def action_train(self) -> None:
        self._started = True
        self.refit()

    def action_live_step(self, name: str, direction: int) -> None:
        """One decade up or down (two of the parameter's steps), or the other optimizer;
        the row shows the new value and a running training takes it at its next epoch."""
        panel = self.query_one(ParamPanel)
        spec = specs(DropoutParams)[name]
        value = step_value(spec, getattr(panel.params, name), direction)
        if spec.log:
            value = step_value(spec, value, direction) if value > spec.floor else value
        if value != getattr(panel.params, name):
            panel.apply(name, value)

    def action_compare(self, view: str = SAME_PATIENCE) -> None:
        """Show ``view`` (its key again: back to one training); the titles say which."""
        self.compare = None if self.compare == view else view
        self.action_train()

    # --- pictures and numbers ---------------------------------------------------------

    def show_status(self, progress: Progress) -> None:
        """A live epoch moves the bar without a layout pass: rewriting the status line at
        every message would ask for one, and that UI-thread time is taken from the training
        (the GIL)."""
        status = self.query_one(JobStatus)
        if progress.partial is None:  # loading torch: say so
            status.running(progress)
        elif self.runner.generation != self._status_generation:  # a training's first epoch
            self._status_generation = self.runner.generation
            status.running(replace(progress, message=TRAINING_STATUS))
        else:
            status.move(progress.fraction)

    def show_progress(self, progress) -> None:
        partial = progress.partial
        if partial is None:  # still loading torch or the data
            return
        snapshots = (partial.baseline, partial.chosen) if hasattr(partial, "chosen") else (partial,)
        runs = tuple(Run.live(snapshot) for snapshot in snapshots)
        self._speeds = tuple(run.epochs_per_second for run in runs)
        self._draw(runs)

    def show_result(self, result: DropoutResult | Comparison) -> None:
        results = result.runs if isinstance(result, Comparison) else (result,)
        # The speed of the last live epochs: a finished result carries no timing.
        speeds = self._speeds if len(self._speeds) == len(results) else (None,) * len(results)
        self._draw(tuple(map(Run.finished, results, speeds)))
        shown = [run.result for run in self.shown if run.result is not None]
        explanation = f"{measured(shown)}\n{self.EXPLANATION}"
        self.query_one(".explanation", Static).update(explanation)

    def _draw(self, runs: tuple[Run, ...]) -> None:
        if len(runs) == 2 and runs[0].settings == runs[1].settings:
            runs = runs[1:]  # compare with dropout 0 chosen: one curve says it all
        self.shown = runs
        self.query_one("#loss-chart", Chart).show(lambda plt, _size: draw_loss(plt, runs))
        self.query_one("#accuracy-chart", Chart).show(lambda plt, _size: draw_second(plt, runs))
        metrics = self.query_one(Metrics)
        metrics.show(numbers(runs))
        # Speeds vary from run to run: a tooltip, never text that a snapshot would capture.
        metrics.tooltip = speed_note(runs)


def speed_note(runs: Sequence[Run]) -> str | None:
    notes = [
        f"{run.label}: {run.epochs_per_second:.1f} epochs/s"
        for run in runs
        if run.epochs_per_second
    ]
    notes += [f"device: {run.result.device_name}" for run in runs[-1:] if run.result is not None]
    return "\n".join(notes) or None


# --- charts -------------------------------------------------------------------------------

TRAIN, VALIDATION = "blue", "red"  # one training: train and validation curves
BASELINE, CHOSEN = "orange", "cyan"  # a comparison: one color per dropout
BEST, CHANGE = "green", "gray"


@dataclass(frozen=True)
class Curve:
    run: Run
    label: str
    color: str
    value: Callable[[EpochStats], float]
    best: bool = False  # mark the run's best epoch on this curve


def draw_loss(plt, runs: Sequence[Run]) -> None:
    """One training: train and validation loss. A comparison: validation loss of both."""
    if len(runs) == 1:
        curves = [
            Curve(runs[0], "train", TRAIN, lambda row: row.train_loss),
            Curve(runs[0], "val", VALIDATION, lambda row: row.val_loss, best=True),
        ]
    else:
        plt.title(f"Validation loss: {versus(runs)}")
        curves = [
            Curve(run, f"val {run.label}", color, lambda row: row.val_loss, best=True)
            for run, color in zip(runs, (BASELINE, CHOSEN), strict=True)
        ]
    draw_curves(plt, curves, single=len(runs) == 1)
    plt.ylabel("loss")


def draw_second(plt, runs: Sequence[Run]) -> None:
    """One training: train and validation accuracy. A comparison: train loss of both, so
    the two charts show the gap dropout closes."""
    if len(runs) == 1:
        curves = [
            Curve(runs[0], "train", TRAIN, lambda row: 100 * row.train_accuracy),
            Curve(runs[0], "val", VALIDATION, lambda row: 100 * row.val_accuracy, best=True),
        ]
    else:
        plt.title(f"Train loss: {versus(runs)}")
        curves = [
            Curve(run, f"train {run.label}", color, lambda row: row.train_loss)
            for run, color in zip(runs, (BASELINE, CHOSEN), strict=True)
        ]
    draw_curves(plt, curves, single=len(runs) == 1)
    plt.ylabel("accuracy %" if len(runs) == 1 else "loss")


def versus(runs: Sequence[Run]) -> str:
    """A comparison's title: which two trainings it shows."""
    baseline, chosen = runs
    no_stop = " (no early stop)" if baseline.patience != chosen.patience else ""
    return f"dropout 0{no_stop} vs {chosen.dropout:g}"


def draw_curves(plt, curves: Sequence[Curve], single: bool) -> None:
    """The curves, then on top of them the best epoch (green: a line for one training, a
    dot on each validation curve) and every mid-run regularization change (gray lines)."""
    drawn = [curve for curve in curves if curve.run.history]
    for number, curve in enumerate(drawn):
        run = curve.run
        values = [curve.value(row) for row in run.history]
        plt.plot(run.epochs, values, color=curve.color, marker="braille")
        shape = SERIES_MARKERS[number % len(SERIES_MARKERS)]
        mark_line(plt, run.epochs, values, curve.color, shape, curve.label)
    for curve in drawn:
        best = curve.run.best_epoch
        if curve.best and best:
            if single:
                mark_x(plt, best, color=BEST)
            plt.scatter([best], [curve.value(curve.run.history[best - 1])], color=BEST, marker="●")
    # A comparison's two trainings share the controls: the chosen one speaks for both.
    for epoch in sorted({change.epoch for change in curves[-1].run.changes}):
        mark_x(plt, epoch, color=CHANGE)
    plt.xticks(epoch_ticks(max((curve.run.epoch for curve in drawn), default=1)))
    plt.xlabel("epoch")


def epoch_ticks(last: int, most: int = 6) -> list[int]:
    """Whole epochs from 1 to ``last`` at a round spacing (1, 2, 5, 10, 20, 50, ...)."""
    spacings = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
    spacing = next((s for s in spacings if last // s < most), spacings[-1])
    return [1, *range(spacing, last + 1, spacing)] if spacing > 1 else list(range(1, last + 1))


# --- numbers ------------------------------------------------------------------------------


def numbers(runs: Sequence[Run]) -> list[tuple[str, str]]:
    """The most telling numbers first: at 80x24 only the top rows are in view. A comparison
    shows each number as ``dropout 0 · chosen dropout``."""
    if len(runs) == 1:
        rows = run_numbers(runs[0])
    else:
        rows = [("dropout", " · ".join(f"{run.dropout:g}" for run in runs))]
        if runs[0].patience != runs[1].patience:
            rows.append(("patience", " · ".join(str(run.patience) for run in runs)))
        columns = [run_numbers(run, full=False) for run in runs]
        for pairs in zip(*columns, strict=True):  # same names in the same order
            rows.append((pairs[0][0], " · ".join(value for _, value in pairs)))
    changes = runs[-1].changes
    if changes:
        rows.append(("live changes", str(len(changes))))
    return [*rows, ("device", runs[-1].device)]


def run_numbers(run: Run, full: bool = True) -> list[tuple[str, str]]:
    last = run.history[-1] if run.history else None

    def latest(show: Callable[[EpochStats], str]) -> str:
        return show(last) if last else "—"

    return [
        ("epoch", f"{run.epoch}/{run.max_epochs}" if full else str(run.epoch)),
        ("best epoch", str(run.best_epoch or "—")),
        ("test acc", percent(run.result.test_accuracy) if run.result else "—"),
        ("loss gap", latest(lambda row: f"{row.val_loss - row.train_loss:.3f}")),
        ("val acc", latest(lambda row: percent(row.val_accuracy))),
        ("train acc", latest(lambda row: percent(row.train_accuracy))),
        ("val loss", latest(lambda row: f"{row.val_loss:.3f}")),
        ("train loss", latest(lambda row: f"{row.train_loss:.3f}")),
        ("stopped", run.stopped),
    ]


def percent(fraction: float) -> str:
    return f"{100 * fraction:.1f}%"


def measured(results: Sequence[DropoutResult]) -> str:
    """The explanation's first line: the shown results' own numbers (never typed in)."""
    if len(results) == 1:
        result = results[0]
        if result.stopped_by_user or result.early_stopped:
            by = "by you" if result.stopped_by_user else "early"
            ended = f"stopped {by} at {result.stopped_epoch}"
        else:
            ended = f"all {result.stopped_epoch} epochs"
        return (
            f"Measured: test accuracy {percent(result.test_accuracy)} at dropout "
            f"{result.params.dropout:g} (best epoch {result.best_epoch}, {ended})."
        )
    baseline, chosen = results
    gain = 100 * (chosen.test_accuracy - baseline.test_accuracy)
    line = (
        f"Measured: test accuracy {percent(baseline.test_accuracy)} at dropout 0, "
        f"{percent(chosen.test_accuracy)} at {chosen.params.dropout:g} ({gain:+.1f} points)."
    )
    if baseline.params.patience == 0 and baseline.best_epoch:
        best, last = baseline.history[baseline.best_epoch - 1], baseline.history[-1]
        line += (
            f" Dropout 0 with no early stop: val loss {best.val_loss:.2f} at epoch {best.epoch}, "
            f"{last.val_loss:.2f} at {last.epoch}; train loss {last.train_loss:.2g}."
        )
    return line
