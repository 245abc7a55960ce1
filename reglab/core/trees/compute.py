"""Lab 4 — trees: regularizing without L1/L2 (depth, leaf size, forests, boosting).

Reference on ``load_breast_cancer``, split with
``train_test_split(test_size=0.25, stratify=y, random_state=seed)``:
``DecisionTreeClassifier(max_depth=5, min_samples_split=10, min_samples_leaf=5,
max_features='sqrt')``, ``RandomForestClassifier(n_estimators=100, max_depth=10,
min_samples_leaf=2, max_features='sqrt')``, ``GradientBoostingClassifier(n_estimators=100,
learning_rate=0.1, max_depth=3, subsample=0.8)``, all with ``random_state=seed``.
``min_samples_split`` belongs to the single tree, ``learning_rate``/``subsample`` to boosting.

``cv_accuracy_mean`` is ``cross_val_score(model, X_train, y_train, cv=folds)``: the test rows
stay held out.

The independent fits are units of the sweep (``reglab.core.sweep``): one CV fold each, and one
max_depth of the validation curve each (a unit returns accuracies, never its model, which may
be a big forest). Forest size and boosting stages are read off the one fitted model. The
chosen model is fitted once, here, and cached; so are the CV scores (per model and folds) and
the whole validation curve (per model less its max_depth): moving max_depth refits only the
chosen model, and moving a knob back costs nothing.
"""

from __future__ import annotations

import dataclasses
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.tree import DecisionTreeClassifier

from reglab.core.datasets import DataKey, check_classes, data_key, load
from reglab.core.errors import DataError
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.notes import Caught, cache_with_warnings, collected
from reglab.core.results import LabResult
from reglab.core.sweep import Backend, run_units, unit_cancelled
from reglab.core.trees.params import TreesParams

# The validation curve tries max_depth 1..DEPTH_CAP, stopping early at the depth the
# unlimited model reaches (any larger limit grows the very same trees), then none.
DEPTH_CAP = 10


@dataclass(frozen=True)
class Split:
    """Where the rows come from and how they are split: the key of the fit caches."""

    data_key: DataKey
    test_size: float
    seed: int


@dataclass(frozen=True)
class Knobs:
    """One model's constructor arguments (only those that model takes), hashable."""

    model: str
    kwargs: tuple[tuple[str, Any], ...]

    def build(self, seed: int) -> ClassifierMixin:
        cls = {
            "tree": DecisionTreeClassifier,
            "forest": RandomForestClassifier,
            "boosting": GradientBoostingClassifier,
        }[self.model]
        return cls(**dict(self.kwargs), random_state=seed)

    def with_depth(self, depth: int | None) -> Knobs:
        return Knobs(
            self.model, tuple((k, depth if k == "max_depth" else v) for k, v in self.kwargs)
        )


def knobs_for(params: TreesParams) -> Knobs:
    """The reference constructor arguments, with the lab's knobs; ``all`` features = None."""
    common = {
        "max_depth": params.max_depth,
        "min_samples_leaf": params.min_samples_leaf,
        "max_features": None if params.max_features == "all" else params.max_features,
    }
    per_model: dict[str, dict[str, Any]] = {
        "tree": {"min_samples_split": params.min_samples_split},
        "forest": {"n_estimators": params.n_estimators},
        "boosting": {
            "n_estimators": params.n_estimators,
            "learning_rate": params.learning_rate,
            "subsample": params.subsample,
        },
    }
    only = per_model[params.model]
    return Knobs(params.model, tuple(sorted({**common, **only}.items())))


Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # X_train, X_test, y_train, y_test


@dataclass(frozen=True)
class SplitData:
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    feature_names: tuple[str, ...]

    @property
    def arrays(self) -> Arrays:
        """What every unit of the sweep reads (sent to a cluster once per split)."""
        return self.X_train, self.X_test, self.y_train, self.y_test


@cache_with_warnings(maxsize=8)
def split_data(split: Split) -> SplitData:
    loaded = load(split.data_key)
    check_classes(loaded.y, 2, "test_size")
    try:
        parts = train_test_split(
            loaded.X,
            loaded.y,
            test_size=split.test_size,
            stratify=loaded.y,
            random_state=split.seed,
        )
    except ValueError as error:  # e.g. fewer test rows than classes
        raise DataError(
            f"test_size: cannot split {len(loaded.y)} rows by class ({error})"
        ) from None
    X_train, X_test, y_train, y_test = parts
    return SplitData(X_train, X_test, y_train, y_test, loaded.feature_names)


class _Memo:
    """A small LRU cache for work that takes a cancel callback (which lru_cache would key on).

    A cancelled computation raises before it is stored, so a half-fitted model is never
    reused. With ``replay`` the warnings it raised are kept with its value and raised again
    at every hit, as ``cache_with_warnings`` does (the sweeps' caches: same knobs, same
    notes); the fits' cache keeps none, since every caller of a fit reads it again at once.
    """

    def __init__(self, maxsize: int, replay: bool = False) -> None:
        self.maxsize = maxsize
        self.replay = replay
        self.items: OrderedDict[tuple, tuple[Any, Caught]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
        if found is None:
            # Outside the lock: other labs' threads keep using the cache.
            if self.replay:
                with collected() as caught:
                    value = compute()
                found = (value, list(caught))
            else:
                found = (compute(), [])
            with self.lock:
                self.items[key] = found
                while len(self.items) > self.maxsize:
                    self.items.popitem(last=False)
        value, kept = found
        for category, text in kept:
            warnings.warn(text, category, stacklevel=2)
        return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_FITS = _Memo(32)  # the chosen models and the unlimited ones the curves start from
_CV = _Memo(64, replay=True)  # (split, knobs, folds) -> every fold's accuracy
_CURVES = _Memo(32, replay=True)  # (split, knobs less max_depth, DEPTH_CAP) -> by_depth rows


def fit_rows(
    model: ClassifierMixin, X: np.ndarray, y: np.ndarray, cancelled: CancelledCallback | None
) -> ClassifierMixin:
    """Fit, letting boosting stop between stages when the job is cancelled."""
    if isinstance(model, GradientBoostingClassifier):
        # The monitor runs after every stage; returning True ends the fit there.
        model.fit(X, y, monitor=lambda *_: cancelled is not None and cancelled())
    else:
        model.fit(X, y)
    check_cancelled(cancelled)
    return model


def fit(split: Split, knobs: Knobs, cancelled: CancelledCallback | None = None) -> ClassifierMixin:
    """One model fitted on the training rows (cached: curves and headline share fits)."""

    def compute() -> ClassifierMixin:
        data = split_data(split)
        return fit_rows(knobs.build(split.seed), data.X_train, data.y_train, cancelled)

    return _FITS.get((split, knobs), compute)


def fold_accuracy(knobs: Knobs, seed: int, folds: int, data: Arrays, fold: int) -> float:
    """A unit of the sweep: fold ``fold`` of ``cross_val_score(model, X_train, y_train,
    cv=folds)``."""
    X_train, _, y_train, _ = data
    train, test = list(StratifiedKFold(folds).split(X_train, y_train))[fold]
    model = fit_rows(knobs.build(seed), X_train[train], y_train[train], unit_cancelled)
    return float(model.score(X_train[test], y_train[test]))


def depth_accuracies(
    knobs: Knobs, seed: int, depths: tuple[int, ...], data: Arrays, index: int
) -> tuple[float, float]:
    """A unit of the sweep: train and test accuracy of the model at ``max_depth``
    ``depths[index]``, every other knob as in ``knobs`` (the model itself stays here)."""
    X_train, X_test, y_train, y_test = data
    model = fit_rows(knobs.with_depth(depths[index]).build(seed), X_train, y_train, unit_cancelled)
    return float(model.score(X_train, y_train)), float(model.score(X_test, y_test))


def cv_scores(
    split: Split,
    knobs: Knobs,
    folds: int,
    backend: Backend,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
    span: tuple[float, float] = (0.0, 1.0),
) -> list[float]:
    """Every fold's accuracy, one unit per fold (cached per split, knobs and folds)."""

    def compute() -> tuple[float, ...]:
        unit = partial(fold_accuracy, knobs, split.seed, folds)
        return tuple(
            run_units(
                unit,
                split_data(split).arrays,
                folds,
                backend,
                progress=progress,
                cancelled=cancelled,
                what="cross-validation folds",
                span=span,
            )
        )

    return list(_CV.get((split, knobs, folds), compute))


def depth_curve(
    split: Split,
    knobs: Knobs,
    backend: Backend,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
    span: tuple[float, float] = (0.0, 1.0),
) -> list[dict]:
    """The validation curve: ``{max_depth, train_accuracy, test_accuracy}`` rows for max_depth
    1..min(depth the unlimited model reaches, DEPTH_CAP), then None; every other knob as in
    ``knobs``. One unit per depth, but the chosen depth and None are read off their fitted
    models. Cached per split and knobs less max_depth: moving max_depth reuses it."""
    unlimited = knobs.with_depth(None)
    chosen = dict(knobs.kwargs)["max_depth"]
    cap = DEPTH_CAP

    def compute() -> tuple[dict, ...]:
        start, end = span
        report(progress, start, "validation curve: max_depth none")
        reached = depth_reached(fit(split, unlimited, cancelled))
        depths = tuple(range(1, min(reached, cap) + 1))
        todo = tuple(depth for depth in depths if depth != chosen)
        swept = run_units(
            partial(depth_accuracies, unlimited, split.seed, todo),
            split_data(split).arrays,
            len(todo),
            backend,
            progress=progress,
            cancelled=cancelled,
            what="validation curve depths",
            span=(start + (end - start) / (len(depths) + 1), end),
        )
        found: dict[int | None, tuple[float, float]] = dict(zip(todo, swept, strict=True))
        if chosen in depths:
            found[chosen] = accuracies(split, knobs)
        found[None] = accuracies(split, unlimited)
        rows = []
        for depth in (*depths, None):
            train, test = found[depth]
            rows.append({"max_depth": depth, "train_accuracy": train, "test_accuracy": test})
        return tuple(rows)

    return [dict(row) for row in _CURVES.get((split, unlimited, cap), compute)]


@cache_with_warnings(maxsize=256)
def accuracies(split: Split, knobs: Knobs) -> tuple[float, float]:
    """Train and test accuracy of one fitted model (cached: a forest predicts in ~10 ms)."""
    data, model = split_data(split), fit(split, knobs)
    return (
        float(model.score(data.X_train, data.y_train)),
        float(model.score(data.X_test, data.y_test)),
    )


def trees_of(model: ClassifierMixin) -> list[DecisionTreeClassifier]:
    if isinstance(model, RandomForestClassifier):
        return list(model.estimators_)
    if isinstance(model, GradientBoostingClassifier):
        return list(model.estimators_.ravel())
    return [model]


def depth_reached(model: ClassifierMixin) -> int:
    return max(tree.get_depth() for tree in trees_of(model))


def staged_accuracy(model: GradientBoostingClassifier, data: SplitData) -> list[dict]:
    """Train and test accuracy after each boosting stage (``staged_predict``)."""
    train = [np.mean(p == data.y_train) for p in model.staged_predict(data.X_train)]
    test = [np.mean(p == data.y_test) for p in model.staged_predict(data.X_test)]
    return [
        {"stage": i + 1, "train_accuracy": float(a), "test_accuracy": float(b)}
        for i, (a, b) in enumerate(zip(train, test, strict=True))
    ]


def forest_accuracy(model: RandomForestClassifier, data: SplitData) -> list[dict]:
    """Accuracy of the forest made of its first k trees, for every k, without refitting.

    A forest of k trees with the same random_state grows exactly the first k trees of a
    larger one (each tree's seed is drawn in order), and it predicts the argmax of the
    mean of its trees' class probabilities: a cumulative sum over the trees gives them all.
    """
    rows = {}
    for name, X, y in (
        ("train_accuracy", data.X_train, data.y_train),
        ("test_accuracy", data.X_test, data.y_test),
    ):
        probas = np.stack([tree.predict_proba(X) for tree in model.estimators_])
        mean = np.cumsum(probas, axis=0) / np.arange(1, len(probas) + 1)[:, None, None]
        predicted = model.classes_[np.argmax(mean, axis=2)]
        rows[name] = np.mean(predicted == y, axis=1)
    return [
        {"n_trees": k + 1, "train_accuracy": float(a), "test_accuracy": float(b)}
        for k, (a, b) in enumerate(zip(rows["train_accuracy"], rows["test_accuracy"], strict=True))
    ]


@cache_with_warnings(maxsize=32)
def ensemble_curve(split: Split, knobs: Knobs) -> tuple[dict, ...] | None:
    """Accuracy against boosting stages or forest size for one model (None for a tree)."""
    data, model = split_data(split), fit(split, knobs)
    if knobs.model == "boosting":
        return tuple(staged_accuracy(model, data))
    if knobs.model == "forest":
        return tuple(forest_accuracy(model, data))
    return None


@dataclass(frozen=True)
class TreesResult(LabResult):
    """The SPEC's JSON keys, then what the charts need besides.

    ``by_depth`` rows ``{max_depth, train_accuracy, test_accuracy}`` (the last has max_depth
    None) draw the validation curve; ``by_stage`` rows ``{stage, train_accuracy,
    test_accuracy}`` (boosting) and ``by_trees`` rows ``{n_trees, train_accuracy,
    test_accuracy}`` (forest) draw accuracy against the ensemble's size. ``depth`` is the
    deepest tree actually grown; ``n_leaves`` is the single tree's leaf count (else None).
    """

    params: TreesParams  # narrows LabResult.params (same field, same place)
    train_accuracy: float
    test_accuracy: float
    cv_accuracy_mean: float
    cv_accuracy_std: float
    cv_scores: list[float]
    n_leaves: int | None
    depth: int
    by_depth: list[dict]
    by_stage: list[dict] | None
    by_trees: list[dict] | None
    n_train: int
    n_test: int
    feature_names: list[str]


def run(
    params: TreesParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> TreesResult:
    """Fit the chosen model, cross-validate it, and trace the max_depth validation curve.

    ``by_depth`` rows (``max_depth`` 1..min(reached depth, DEPTH_CAP), then None) keep every
    other knob as set. ``by_stage`` (boosting) and ``by_trees`` (forest) come from the one
    fitted model; each is null for the other models.
    """
    params = params.effective()
    split = Split(data_key(params, "classification"), params.test_size, params.seed)
    data = split_data(split)
    check_classes(data.y_train, params.folds, "folds", " in the training split")
    knobs = knobs_for(params)

    def step(fraction: float, message: str, partial: object = None) -> None:
        check_cancelled(cancelled)
        report(progress, fraction, message, partial)

    backend = Backend.of(params)

    step(0.0, f"fitting the {params.model}")
    model = fit(split, knobs, cancelled)
    train_accuracy, test_accuracy = accuracies(split, knobs)
    step(0.1, "cross-validation")
    scores = cv_scores(split, knobs, params.folds, backend, progress, cancelled, (0.1, 0.4))

    cached_curve = ensemble_curve(split, knobs)
    curve = None if cached_curve is None else [dict(row) for row in cached_curve]

    def result(by_depth: list[dict]) -> TreesResult:
        return TreesResult(
            params=params,
            train_accuracy=train_accuracy,
            test_accuracy=test_accuracy,
            cv_accuracy_mean=float(np.mean(scores)),
            cv_accuracy_std=float(np.std(scores)),
            cv_scores=scores,
            n_leaves=int(model.get_n_leaves()) if params.model == "tree" else None,
            depth=depth_reached(model),
            by_depth=by_depth,
            by_stage=curve if params.model == "boosting" else None,
            by_trees=curve if params.model == "forest" else None,
            n_train=len(data.y_train),
            n_test=len(data.y_test),
            feature_names=list(data.feature_names),
        )

    # The numbers and the ensemble curve show while the validation curve's depths run.
    headline = result([])
    step(0.4, "validation curve", headline)
    by_depth = depth_curve(split, knobs, backend, progress, cancelled, (0.4, 1.0))
    report(progress, 1.0, "done")
    return dataclasses.replace(headline, by_depth=by_depth)


def clear_caches() -> None:
    """Forget every cached split and fit (benchmarks measure cold runs with this)."""
    for cached in (split_data, accuracies, ensemble_curve):
        cached.cache_clear()
    for memo in (_FITS, _CV, _CURVES):
        memo.clear()
