"""Lab 3 — classification: logistic regression with no penalty, L2, L1 and elastic net.

Reference: ``load_breast_cancer``; ``LogisticRegression`` with no penalty, L2, L1 (saga) and
elastic net (saga, l1_ratio 0.5), C = 1, ``max_iter=1000``, 5-fold CV accuracy mean ± std.
The lab standardizes inside a Pipeline by default; ``standardize=false`` is the raw version.

scikit-learn 1.8 deprecated ``penalty``: the penalty is expressed as ``l1_ratio`` (0 = L2,
1 = L1, in between = elastic net) and ``C=inf`` for none. none/L2 use lbfgs. L1 and elastic
net use ``IrlsLogisticRegression`` (reglab.core.logistic), which reaches the optimum of
the same objective in milliseconds; saga, the reference's solver, stops short of it for
most C within 1000 epochs and then reports an accuracy that is not the model's (0.9702
against 0.9684 for L1 at C = 1). ``solver=saga`` keeps the reference reachable, with its
non-convergence in the notes; saga samples rows at random, so it gets ``random_state=seed``.

IRLS-CD fits at a C of the curve (or of the grid) start from the fit at the C before it:
the same optimum, found in a few Newton steps. So the fits along C of one fold are a chain,
and a chain is a unit of the sweep (reglab.core.sweep, on threads or a Dask cluster): the
cross-validation at the chosen C is one unit per fold and one for all rows (on the curve's
grid: the curve's fits up to that C), the accuracy-vs-C curve the same units on to its end,
grid mode one unit per (l1_ratio, fold) along GRID_CS. Every fit (one fold, or all rows, at
one C) is kept in this process, so the curve and the grid survive a change of C, the CV at
a C on the curve's grid costs nothing, and a sweep sends out only the chains not kept.

``learning_curve`` is scikit-learn's ``learning_curve`` of the lab's estimator at the chosen C
on the same StratifiedKFold folds, scored by accuracy, at its default sizes (10 % to 100 % of
a fold's training rows) with ``shuffle=True, random_state=seed``: each size takes the first
rows of the fold's training rows in a seeded random order. Without it every subset would be
the fold's first rows, and iris and wine are sorted by class (one class in 10 %). It is
called one size at a time, on those folds with the rows already in that order (the same
fits), so the job reports progress and can stop between sizes, and each size is cached.
"""

from __future__ import annotations

import dataclasses
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold, learning_curve
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from reglab.core.blas import single_blas_thread
from reglab.core.classification.params import ClassificationParams
from reglab.core.datasets import DataKey, check_classes, data_key, load
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.learning import in_drawing_order, summary
from reglab.core.logistic import IrlsLogisticRegression
from reglab.core.notes import Caught, cache_with_warnings, collected, convergence_notes
from reglab.core.results import LabResult
from reglab.core.sweep import Backend, run_units, unit_cancelled

# The accuracy-vs-C curve spans the C control's range, two points a decade.
C_GRID: tuple[float, ...] = tuple(float(f"{c:.6g}") for c in np.logspace(-4, 4, 17))
GRID_CS: tuple[float, ...] = (0.01, 0.1, 1.0, 10.0)
GRID_L1_RATIOS: tuple[float, ...] = (0.1, 0.3, 0.5, 0.7, 0.9)
ALL_ROWS = -1  # the fold index meaning "fit on every row" (the coefficients shown)
# learning_curve's default training-set sizes, as fractions of a fold's training rows.
LEARNING_FRACTIONS: tuple[float, ...] = tuple(float(f) for f in np.linspace(0.1, 1.0, 5))


@dataclass(frozen=True)
class Setup:
    """Everything a logistic fit depends on except C: the key of the per-fit cache."""

    data_key: DataKey
    l1_ratio: float
    solver: str
    standardize: bool
    folds: int
    max_iter: int
    seed: int
    shuffle: bool = False  # grid mode: StratifiedKFold(shuffle=True, random_state=seed)
    # The Cs fitted in turn (the curve's, or the grid's): an IRLS-CD fit at one of them
    # starts from the fit at the one before.
    path: tuple[float, ...] = C_GRID


@dataclass(frozen=True)
class FoldFit:
    """One fitted model: its held-out score (None for the all-rows fit), coefficients (kept
    for the all-rows fit) and, for IRLS-CD, its state, where the next C's fit starts."""

    score: float | None
    coef: np.ndarray | None
    converged: bool
    state: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def fold_score(self) -> float:
        assert self.score is not None, "the all-rows fit has no held-out score"
        return self.score

    @property
    def all_rows_coef(self) -> np.ndarray:
        assert self.coef is not None, "only the all-rows fit keeps its coefficients"
        return self.coef


IRLS_CD = "irls-cd"


def solver_for(penalty: str, solver: str = "auto") -> str:
    """lbfgs without an L1 part; IRLS-CD (or saga, if asked for) with one."""
    if penalty not in ("l1", "elasticnet"):
        return "lbfgs"
    return "saga" if solver == "saga" else IRLS_CD


def l1_ratio_for(penalty: str, l1_ratio: float) -> float:
    return {"none": 0.0, "l2": 0.0, "l1": 1.0}.get(penalty, l1_ratio)


def build(C: float, setup: Setup) -> Pipeline | LogisticRegression | IrlsLogisticRegression:
    """The lab's estimator, as a user would build it with scikit-learn (C=inf: no penalty)."""
    model: LogisticRegression | IrlsLogisticRegression
    if setup.solver == IRLS_CD:
        model = IrlsLogisticRegression(C=C, l1_ratio=setup.l1_ratio, max_iter=setup.max_iter)
    else:
        model = LogisticRegression(
            C=C,
            l1_ratio=setup.l1_ratio,
            solver=setup.solver,
            max_iter=setup.max_iter,
            random_state=setup.seed,
        )
    # Scaling lives inside the pipeline, so CV fits the scaler on each training fold only.
    return make_pipeline(StandardScaler(), model) if setup.standardize else model


@cache_with_warnings(maxsize=16)
def fold_indices(key: tuple, folds: int, shuffle: bool, seed: int) -> tuple:
    """StratifiedKFold exactly as ``cross_val_score(cv=folds)`` (no shuffle) or grid mode."""
    data = load(key)
    splitter = (
        StratifiedKFold(folds, shuffle=True, random_state=seed)
        if shuffle
        else StratifiedKFold(folds)
    )
    return tuple(splitter.split(data.X, data.y))


@dataclass(frozen=True, eq=False)
class Chain:
    """One unit of a sweep: one fold's fits (or the all-rows fit's) at ``Cs`` in turn. For
    IRLS-CD the Cs follow one another on ``setup.path`` and each fit starts from the one
    before it, the first from ``start`` (the kept fit at the C before; None: cold)."""

    setup: Setup
    fold: int
    scoring: str
    Cs: tuple[float, ...]
    start: tuple[np.ndarray, np.ndarray] | None = None


# What a chain unit reads: X, y and the folds' (train, test) rows; the same for every unit
# of a data set (scattered once to a cluster), so the settings travel in the Chains.
ChainData = tuple[np.ndarray, np.ndarray, tuple]


def fit_chain(
    chains: tuple[Chain, ...], data: ChainData, index: int
) -> list[tuple[FoldFit, Caught]]:
    """The unit: the fits of ``chains[index]``, each with the warnings it raised (all but
    non-convergence, which its ``converged`` says). Pure: it reads its arrays from ``data``."""
    chain = chains[index]
    X, y, splits = data
    rows, held_out = (slice(None), None) if chain.fold == ALL_ROWS else splits[chain.fold]
    fits = []
    start = chain.start
    for C in chain.Cs:
        check_cancelled(unit_cancelled)  # a stopped sweep frees its thread between fits
        with collected() as caught:
            fit = _fit(chain.setup, C, X, y, rows, held_out, chain.scoring, start)
        fits.append((fit, list(caught)))
        start = fit.state
    return fits


def _fit(
    setup: Setup,
    C: float,
    X: np.ndarray,
    y: np.ndarray,
    rows: np.ndarray | slice,
    held_out: np.ndarray | None,
    scoring: str,
    start: tuple[np.ndarray, np.ndarray] | None,
) -> FoldFit:
    """Fit on one fold's training rows and score its held-out rows (or fit every row)."""
    model = build(C, setup)
    last = model[-1] if isinstance(model, Pipeline) else model
    irls = isinstance(last, IrlsLogisticRegression)
    if irls and start is not None:
        last.set_params(warm_start=True)
        last.coef_, last.intercept_ = (part.copy() for part in start)
    local: list[str] = []
    with convergence_notes(local, "fit"):
        model.fit(X[rows], y[rows])
    state = (last.coef_.copy(), last.intercept_.copy()) if irls else None
    if held_out is None:
        return FoldFit(None, last.coef_.copy(), not local, state)
    # The same scorer cross_val_score / GridSearchCV use ("accuracy" = estimator.score).
    score = get_scorer(scoring)(model, X[held_out], y[held_out])
    return FoldFit(float(score), None, not local, state)


def chain_data(setup: Setup) -> ChainData:
    """The arrays the chain units of ``setup``'s data set and folds read."""
    with collected():  # noted where each fit is used, as that fit's own (_Fits._keep)
        data = load(setup.data_key)
        splits = fold_indices(setup.data_key, setup.folds, setup.shuffle, setup.seed)
    return data.X, data.y, splits


def _setting_warnings(setup: Setup, fold: int) -> Caught:
    """What loading the data and cutting the folds warn: part of every fit's warnings."""
    with collected() as caught:
        load(setup.data_key)
        if fold != ALL_ROWS:
            fold_indices(setup.data_key, setup.folds, setup.shuffle, setup.seed)
    return list(caught)


# (setup, fold, scoring, Cs): fits a part of the job asks for.
Wanted = tuple[Setup, int, str, tuple[float, ...]]
FitKey = tuple[Setup, float, int, str]


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    maxsize: int
    currsize: int


class _Fits:
    """Every fit made in this process by (setup, C, fold, scoring), the newest ``maxsize``,
    each with its warnings, raised again at every use (same parameters, same notes).

    ``make`` fits what a part of the job wants and is not kept, as chain units of a sweep;
    calling it gives one fit, made here with the fits before it on its path if not kept.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._kept: OrderedDict[FitKey, tuple[FoldFit, Caught]] = OrderedDict()
        self._hits = self._misses = 0

    def __call__(self, setup: Setup, C: float, fold: int, scoring: str = "accuracy") -> FoldFit:
        key = (setup, C, fold, scoring)
        found = self._get(key)
        with self._lock:
            self._hits += found is not None
            self._misses += found is None
        if found is None:  # its chain, here
            chains = self.chains([(setup, fold, scoring, (C,))])
            data = chain_data(setup)
            for index, chain in enumerate(chains):
                found = self._keep(chain, fit_chain(chains, data, index)).get(key, found)
            assert found is not None
        fit, caught = found
        for category, text in caught:
            warnings.warn(text, category, stacklevel=2)
        return fit

    def make(
        self,
        wanted: Iterable[Wanted],
        backend: Backend,
        progress: ProgressCallback | None,
        cancelled: CancelledCallback | None,
        what: str,
        span: tuple[float, float],
    ) -> None:
        """Fit what ``wanted`` asks for and is not kept: its chains are the sweep's units.
        Every wanted fit shares one data set and its folds (one scattered ``data``)."""
        check_cancelled(cancelled)
        chains = self.chains(wanted)
        if not chains:
            return
        first = chains[0].setup
        assert all(
            (c.setup.data_key, c.setup.folds, c.setup.shuffle, c.setup.seed)
            == (first.data_key, first.folds, first.shuffle, first.seed)
            for c in chains
        ), "one sweep, one data set and one set of folds"
        data = chain_data(first)
        results = run_units(
            partial(fit_chain, chains),
            data,
            len(chains),
            backend,
            progress=progress,
            cancelled=cancelled,
            what=what,
            span=span,
            threads_help=first.solver != "lbfgs",  # IRLS-CD and saga work in nogil Cython
        )
        for chain, fits in zip(chains, results, strict=True):
            self._keep(chain, fits)

    def chains(self, wanted: Iterable[Wanted]) -> tuple[Chain, ...]:
        """The chains that make the wanted fits not kept. For IRLS-CD a fit at a C of the
        path needs the fit before it: its chain starts after the last one kept."""
        chains: list[Chain] = []
        for setup, fold, scoring, Cs in wanted:
            missing = [C for C in Cs if self._get((setup, C, fold, scoring), touch=False) is None]
            if not missing:
                continue
            path = setup.path
            if setup.solver != IRLS_CD:  # cold fits: one chain of independent fits
                chains.append(Chain(setup, fold, scoring, tuple(missing)))
                continue
            # Off the path an IRLS-CD fit starts cold, on its own.
            chains += [Chain(setup, fold, scoring, (C,)) for C in missing if C not in path]
            steps = sorted(path.index(C) for C in missing if C in path)
            if not steps:
                continue
            first, start = steps[0], None
            while first > 0:
                before = self._get((setup, path[first - 1], fold, scoring), touch=False)
                if before is not None:
                    start = before[0].state
                    break
                first -= 1
            chains.append(Chain(setup, fold, scoring, path[first : steps[-1] + 1], start))
        return tuple(chains)

    def _keep(
        self, chain: Chain, fits: list[tuple[FoldFit, Caught]]
    ) -> dict[FitKey, tuple[FoldFit, Caught]]:
        # What loading and cutting the folds warned belongs to each fit, as it is used.
        setting = _setting_warnings(chain.setup, chain.fold)
        made = {
            (chain.setup, C, chain.fold, chain.scoring): (fit, setting + caught)
            for C, (fit, caught) in zip(chain.Cs, fits, strict=True)
        }
        with self._lock:
            for key, value in made.items():
                self._kept[key] = value
                self._kept.move_to_end(key)
            while len(self._kept) > self.maxsize:
                self._kept.popitem(last=False)
        return made

    def _get(self, key: FitKey, touch: bool = True) -> tuple[FoldFit, Caught] | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None and touch:
                self._kept.move_to_end(key)
            return found

    def cache_clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._hits = self._misses = 0

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, self.maxsize, len(self._kept))


fit_fold = _Fits(maxsize=1024)


@cache_with_warnings(maxsize=16)
def learning_splits(key: tuple, folds: int, seed: int) -> tuple:
    """The lab's folds with each fold's training rows in the order ``learning_curve(...,
    shuffle=True, random_state=seed)`` draws its subsets from: one RandomState(seed)
    permutes the folds' training rows in turn, as learning_curve does."""
    return in_drawing_order(fold_indices(key, folds, False, seed), seed)


def learning_sizes(splits: tuple) -> tuple[int, ...]:
    """LEARNING_FRACTIONS as learning_curve turns them into row counts: of the first fold's
    training rows, rounded down, at least 1, without repeats."""
    n_max = len(splits[0][0])
    counts = (np.array(LEARNING_FRACTIONS) * n_max).astype(int)
    return tuple(int(n) for n in np.unique(np.clip(counts, 1, n_max)))


@dataclass(frozen=True)
class LearningPoint:
    """learning_curve at one training-set size: train and held-out accuracy per fold, and
    how many of the fits did not converge."""

    train_scores: tuple[float, ...]
    test_scores: tuple[float, ...]
    failed: int


@cache_with_warnings(maxsize=256)
def learning_point(setup: Setup, C: float, size: int) -> LearningPoint:
    """One size of the learning curve: ``learning_curve`` itself, on the lab's folds with
    their training rows in learning_splits' order, so that the subsets are the ones the
    whole ``learning_curve(shuffle=True, random_state=seed)`` call fits."""
    data = load(setup.data_key)
    splits = learning_splits(setup.data_key, setup.folds, setup.seed)
    with collected() as caught:
        _, train, test = learning_curve(
            build(C, setup),
            data.X,
            data.y,
            train_sizes=[size],
            cv=list(splits),
            scoring="accuracy",
        )
    failed = 0
    for category, text in caught:
        if issubclass(category, ConvergenceWarning):
            failed += 1  # one per fit that ran out of iterations (the tally counts them)
        else:  # a failed fit (one class in a subset) and the like: the run's own notes
            warnings.warn(text, category, stacklevel=2)
    return LearningPoint(
        tuple(float(v) for v in train[0]),
        tuple(float(v) for v in test[0]),
        min(failed, setup.folds),
    )


def learning_summary(sizes: tuple[int, ...], points: list[LearningPoint], scoring: str) -> dict:
    """Mean and standard deviation over the folds at each size."""
    train = [point.train_scores for point in points]
    return summary(sizes, train, [point.test_scores for point in points], scoring)


@dataclass(frozen=True)
class ClassificationResult(LabResult):
    """The SPEC's JSON keys, then what the charts need besides.

    ``by_C`` rows ``{C, accuracy, n_nonzero}`` (C_GRID, ascending) draw accuracy and sparsity
    against C; ``grid`` (grid mode) holds the heat map: ``Cs`` x ``l1_ratios`` axes, ``cells``
    ``{C, l1_ratio, roc_auc, roc_auc_std}`` (C outer, l1_ratio inner), ``best`` and
    ``scoring``. ``feature_names`` label the coefficient chart, ``classes`` its rows;
    ``solver`` says which scikit-learn solver fitted the model. ``learning_curve`` (at the
    chosen C): ``train_sizes`` (rows), ``train_mean``/``train_std`` and
    ``test_mean``/``test_std`` (accuracy over the folds) and ``scoring``.
    """

    params: ClassificationParams  # narrows LabResult.params (same field, same place)
    cv_accuracy_mean: float
    cv_accuracy_std: float
    cv_scores: list[float]
    n_nonzero: int
    n_coef: int
    # One row per coefficient vector, as scikit-learn's coef_: a single row (log-odds of
    # classes[1]) for two classes, one row per class otherwise. Columns follow feature_names.
    coef: list[list[float]]
    by_C: list[dict]
    grid: dict | None
    feature_names: list[str]
    classes: list
    solver: str
    learning_curve: dict


class _Tally:
    """Counts fits that did not converge per part of the job, for the notes."""

    def __init__(self) -> None:
        self.failed: dict[str, list[int]] = {}

    def add(self, what: str, fit: FoldFit) -> FoldFit:
        self.count(what, failed=int(not fit.converged), total=1)
        return fit

    def count(self, what: str, failed: int, total: int) -> None:
        counts = self.failed.setdefault(what, [0, 0])
        counts[0] += failed
        counts[1] += total

    def notes(self) -> tuple[str, ...]:
        return tuple(
            f"{what}: {failed} of {total} fits did not converge; raise max_iter or the penalty"
            for what, (failed, total) in self.failed.items()
            if failed
        )


def _cv_at(setup: Setup, C: float, tally: _Tally, what: str) -> tuple[list[float], np.ndarray]:
    """Fold accuracies and all-rows coefficients at one C (kept fits; made if not)."""
    scores = [tally.add(what, fit_fold(setup, C, fold)).fold_score for fold in range(setup.folds)]
    coef = tally.add(what, fit_fold(setup, C, ALL_ROWS)).all_rows_coef
    return scores, coef


def _every_fold(setup: Setup, Cs: tuple[float, ...]) -> list[Wanted]:
    """The folds' fits and the all-rows fit at ``Cs``: the CV's units, in their order."""
    return [(setup, fold, "accuracy", Cs) for fold in (*range(setup.folds), ALL_ROWS)]


def _with_partial(progress: ProgressCallback | None, shown: object) -> ProgressCallback | None:
    """``progress`` with every update carrying ``shown``, the partial result to draw."""
    if progress is None:
        return None
    listener = progress
    return lambda update: listener(dataclasses.replace(update, partial=shown))


def _grid(
    key: DataKey,
    params: ClassificationParams,
    binary: bool,
    backend: Backend,
    tally: _Tally,
    progress: ProgressCallback | None,
    cancelled: CancelledCallback | None,
    span: tuple[float, float],
) -> dict:
    """C x l1_ratio elastic-net search, cell by cell exactly as GridSearchCV scores it. Its
    units are the (l1_ratio, fold) chains along GRID_CS."""
    setup = Setup(
        data_key=key,
        l1_ratio=0.0,
        solver=solver_for("elasticnet", params.solver),
        standardize=params.standardize,
        folds=params.folds,
        max_iter=params.max_iter,
        seed=params.seed,
        shuffle=True,
        path=GRID_CS,
    )
    scoring = "roc_auc" if binary else "roc_auc_ovr"
    setups = {ratio: dataclasses.replace(setup, l1_ratio=ratio) for ratio in GRID_L1_RATIOS}
    wanted = [
        (setups[ratio], fold, scoring, GRID_CS)
        for ratio in GRID_L1_RATIOS
        for fold in range(params.folds)
    ]
    fit_fold.make(wanted, backend, progress, cancelled, "grid: paths along C", span)
    cells = []
    for C in GRID_CS:  # GridSearchCV's order: C outer, l1_ratio inner (sorted names)
        for ratio in GRID_L1_RATIOS:
            scores = [
                tally.add("grid", fit_fold(setups[ratio], C, fold, scoring)).fold_score
                for fold in range(params.folds)
            ]
            cells.append(
                {
                    "C": C,
                    "l1_ratio": ratio,
                    "roc_auc": float(np.mean(scores)),
                    "roc_auc_std": float(np.std(scores)),
                }
            )
    # The first best cell wins ties, as GridSearchCV's best_index_ does.
    best = max(cells, key=lambda cell: cell["roc_auc"])
    return {
        "scoring": scoring,
        "Cs": list(GRID_CS),
        "l1_ratios": list(GRID_L1_RATIOS),
        "cells": cells,
        "best": {k: best[k] for k in ("C", "l1_ratio", "roc_auc")},
    }


# Tiny problems: with two BLAS threads lbfgs stalls whenever the other core is busy
# (measured: the default run 0.7 s with one thread, 4-16 s with two; reglab.core.blas).
@single_blas_thread()
def run(
    params: ClassificationParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> ClassificationResult:
    """CV accuracy at the chosen C, accuracy and sparsity against C, and (grid) the heat map.

    ``by_C`` rows are the same kept fits as the headline, so the row at the chosen C (when
    it lies on C_GRID) equals the headline exactly. Without a penalty C has no effect, so
    ``by_C`` repeats the one result: a flat line. Grid mode scores ROC AUC for two classes
    and one-vs-rest macro ROC AUC (``roc_auc_ovr``) for more. The CV's units run first and
    its result is drawn (as the partial result) while the curve's run; the curve is then
    streamed point by point, as it is read from its units' fits.
    """
    params = params.effective()
    key = data_key(params, "classification")
    data = load(key)
    check_classes(data.y, params.folds, "folds")
    binary = len(np.unique(data.y)) == 2
    unpenalized = params.penalty == "none"
    setup = Setup(
        data_key=key,
        l1_ratio=l1_ratio_for(params.penalty, params.l1_ratio),
        solver=solver_for(params.penalty, params.solver),
        standardize=params.standardize,
        folds=params.folds,
        max_iter=params.max_iter,
        seed=params.seed,
        path=C_GRID,
    )
    curve_cs = () if unpenalized else C_GRID
    grid_fits = len(GRID_CS) * len(GRID_L1_RATIOS) * params.folds if params.grid else 0
    sizes = learning_sizes(learning_splits(key, params.folds, params.seed))
    # Progress counts fits (a kept one as well): the CV, the learning curve's sizes, the
    # curve against C, the grid.
    total = (params.folds + 1) * (1 + len(curve_cs)) + len(sizes) + grid_fits

    def span(done: int, fits: int) -> tuple[float, float]:
        return done / total, (done + fits) / total

    backend = Backend.of(params)
    tally = _Tally()

    C = np.inf if unpenalized else params.C
    done = params.folds + 1
    fit_fold.make(
        _every_fold(setup, (C,)), backend, progress, cancelled, "cross-validation", span(0, done)
    )
    scores, coef = _cv_at(setup, C, tally, "cross-validation")
    # Before the curve against C: its partial results, drawn while it fills in, carry this.
    points = []
    for size in sizes:
        check_cancelled(cancelled)
        report(progress, done / total, f"learning curve: {size} rows")
        done += 1
        point = learning_point(setup, C, size)
        tally.count("learning curve", point.failed, params.folds)
        points.append(point)
    learning = learning_summary(sizes, points, "accuracy")

    def result(by_C: list[dict], grid: dict | None = None) -> ClassificationResult:
        return ClassificationResult(
            params=params,
            cv_accuracy_mean=float(np.mean(scores)),
            cv_accuracy_std=float(np.std(scores)),
            cv_scores=scores,
            n_nonzero=int(np.count_nonzero(coef)),
            n_coef=int(coef.size),
            coef=coef.tolist(),
            by_C=by_C,
            grid=grid,
            feature_names=list(data.feature_names),
            classes=np.unique(data.y).tolist(),
            solver=setup.solver,
            learning_curve=learning,
            notes=tally.notes(),
        )

    if unpenalized:
        row = {
            "accuracy": float(np.mean(scores)),
            "accuracy_std": float(np.std(scores)),
            "n_nonzero": int(np.count_nonzero(coef)),
        }
        by_C = [{"C": c, **row} for c in C_GRID]
    else:
        curve_fits = (params.folds + 1) * len(curve_cs)
        fit_fold.make(
            _every_fold(setup, curve_cs),
            backend,
            _with_partial(progress, result([])),
            cancelled,
            "accuracy vs C",
            span(done, curve_fits),
        )
        done += curve_fits
        by_C = []
        for c in curve_cs:  # the curve point by point, as its units have made it
            report(progress, done / total, f"accuracy vs C: C={c:g}", result(list(by_C)))
            c_scores, c_coef = _cv_at(setup, c, tally, "accuracy vs C")
            by_C.append(
                {
                    "C": c,
                    "accuracy": float(np.mean(c_scores)),
                    "accuracy_std": float(np.std(c_scores)),  # over the folds: the band
                    "n_nonzero": int(np.count_nonzero(c_coef)),
                }
            )
    grid = None
    if params.grid:
        shown = _with_partial(progress, result(by_C))
        grid = _grid(key, params, binary, backend, tally, shown, cancelled, span(done, grid_fits))
    report(progress, 1.0, "done")
    return result(by_C, grid)


def clear_caches() -> None:
    """Forget every cached data set and fit (benchmarks measure cold runs with this)."""
    for cached in (load, fold_indices, fit_fold, learning_splits, learning_point):
        cached.cache_clear()
