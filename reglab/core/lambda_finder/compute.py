"""Lab 6 — lambda: finding the regularization strength by cross-validation.

Reference: ``RidgeCV(alphas=[0.01, 0.1, 1, 10, 100], cv=5)`` and
``LassoCV(alphas=[0.01, 0.1, 1, 10], cv=5)`` on the penalties data.

The whole curve comes from one computation per fold, never one cold fit per grid cell:

- ridge: one SVD of the centred training fold gives the closed-form coefficients for every
  alpha at once (``paths.ridge_path``), exactly ``Ridge(alpha)`` with an intercept;
- lasso / elastic net: ``enet_path`` over the descending grid with warm starts, on the
  training fold centred as ``LassoCV`` centres it (same Gram matrix, same tolerance), so the
  fold MSEs are ``LassoCV``'s ``mse_path_``;
- logistic: one warm-started walk per fold from strong to weak penalty: two classes with an
  L2 penalty by Newton's method (``logistic_path``), the exact optimum of every C; more
  classes by ``LogisticRegression`` (lbfgs), an L1 share by ``IrlsLogisticRegression``.
  Here alpha means ``1 / C`` so that, as for the other models, a larger alpha is a stronger
  penalty; the score is accuracy (higher is better) instead of MSE.

Fold scores are averaged over folds without weights, as ``LassoCV`` and ``GridSearchCV`` do.
``cv_se`` is the standard error of that mean: the sample standard deviation of the fold scores
(``ddof=1``) over ``sqrt(folds)`` — glmnet's ``cvsd``. ``alpha_min`` has the best mean (on exact
ties the largest alpha, as ``LassoCV`` scanning its descending grid picks); ``alpha_1se`` is
the largest alpha whose mean is within one standard error of the best (glmnet's
``lambda.1se``): the simplest model that cannot be told apart from the best one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from itertools import islice

import numpy as np
from sklearn.linear_model import ElasticNet, LogisticRegression, enet_path
from sklearn.model_selection import KFold, StratifiedKFold, TimeSeriesSplit
from sklearn.preprocessing import StandardScaler

from reglab.core.blas import single_blas_thread
from reglab.core.datasets import Dataset, data_key, load
from reglab.core.errors import DataError, ParamError
from reglab.core.fold_rows import BLOCK_ROWS, add_rows, held_out_rows, training_rows
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.lambda_finder.logistic_path import l2_logistic_path
from reglab.core.lambda_finder.params import LambdaParams
from reglab.core.logistic import IrlsLogisticRegression
from reglab.core.notes import collected, convergence_notes, warnings_as_notes
from reglab.core.paths import ridge_path
from reglab.core.results import LabResult
from reglab.core.strength import alpha_grid, alpha_range
from reglab.core.sweep import Backend, run_units, unit_cancelled

N_ALPHAS = 50
# Logistic: C from 1e-4 to 1e4, the range LogisticRegressionCV's default Cs span.
LOGISTIC_ALPHAS = (1e4, 1e-4)
LOGISTIC_MAX_ITER = 1000
# Two-class L2 CV fits take the Newton path (reglab.core.lambda_finder.logistic_path) up to
# this many features: its Hessian costs rows x features^2, lbfgs's iteration rows x features.
# Measured on one fold of 50 C: 455 rows, 30 features 8 ms against lbfgs's 58 ms, 160
# features 37 against 105; 4000 rows, 100 features 120 against 122, 160 features 201
# against 151.
NEWTON_MAX_FEATURES = 100


@dataclass(frozen=True)
class LambdaResult(LabResult):
    """The CV curve and the chosen alphas. Lists run along ``alphas`` (descending).

    Chart fields: ``alphas`` (x, log axis), ``cv_mean`` with the band ``cv_mean ± cv_se``,
    ``alpha_min``/``alpha_1se`` as markers, ``n_nonzero`` (second axis, L1 models),
    ``fold_scores`` (one thin curve per fold), ``coef_min``/``coef_1se`` with
    ``feature_names`` (bar chart of the refit, toggled between the two alphas).
    """

    params: LambdaParams  # narrows LabResult.params (same field, same place)
    alphas: list[float]
    cv_mean: list[float]
    cv_se: list[float]
    alpha_min: float
    alpha_1se: float
    n_nonzero: list[int] | None
    score: str  # "mse" (lower is better) or "accuracy" (higher is better)
    index_min: int
    index_1se: int
    score_min: float  # cv_mean at alpha_min
    score_1se: float  # cv_mean at alpha_1se
    fold_scores: list[list[float]]  # folds x alphas
    coef_min: list[float]  # refit on all rows at alpha_min (multiclass: per-feature L2 norm)
    coef_1se: list[float]  # refit on all rows at alpha_1se
    n_nonzero_min: int
    n_nonzero_1se: int
    feature_names: list[str]
    cv: str  # the scikit-learn splitter used, e.g. "KFold(n_splits=5, ...)"


@dataclass(frozen=True)
class _Problem:
    """What every fold needs besides the data: the grid (descending) and the model."""

    alphas: np.ndarray
    model: str
    l1_ratio: float
    standardize: bool

    @property
    def coordinate_descent(self) -> bool:
        """Lasso or elastic net: ``enet_path`` on each fold."""
        return self.model in ("lasso", "elasticnet")


def load_data(params: LambdaParams) -> Dataset:
    """The lab's data; cached per data set (a CSV's mtime is part of the key)."""
    return load(data_key(params, "classification" if params.model == "logistic" else "regression"))


def _prepare(X_train: np.ndarray, X_test: np.ndarray, standardize: bool):
    """Scale with statistics of the training rows only, as a Pipeline inside CV would."""
    if not standardize:
        return X_train, X_test
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test)


def data_range(params: LambdaParams, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The alphas that matter for these data (reglab.core.strength); logistic: 1/C over
    LogisticRegressionCV's default Cs."""
    if params.model == "logistic":
        high, low = LOGISTIC_ALPHAS
        return low, high
    X = StandardScaler().fit_transform(X) if params.standardize else X
    return alpha_range(X, y, params.model, params.l1_ratio)


def alphas_for(params: LambdaParams, span: tuple[float, float]) -> np.ndarray:
    """The user's alphas, or 50 log-spaced values over the data's range; unique, descending."""
    if params.alphas:
        return np.unique(np.asarray(params.alphas, dtype=float))[::-1]
    return alpha_grid(span, N_ALPHAS)


def outside_notes(alphas: np.ndarray, span: tuple[float, float]) -> tuple[str, ...]:
    """A note when typed alphas reach past the data's range (they are fitted all the same)."""
    low, high = span
    outside = int(np.sum((alphas < low * (1 - 1e-9)) | (alphas > high * (1 + 1e-9))))
    if not outside:
        return ()
    return (
        f"{outside} of {len(alphas)} alphas lie outside this data's range [{low:.4g}, {high:.4g}]",
    )


def make_splitter(params: LambdaParams):
    if params.splitter == "timeseries":
        return TimeSeriesSplit(n_splits=params.folds)
    if params.splitter == "stratified":
        return StratifiedKFold(n_splits=params.folds)
    return KFold(n_splits=params.folds)


def _split(
    splitter, X: np.ndarray, y: np.ndarray, notes: list[str]
) -> list[tuple[np.ndarray, np.ndarray]]:
    try:
        # StratifiedKFold warns when a class has fewer members than folds: still usable,
        # so the warning becomes a note.
        with warnings_as_notes(notes):
            folds = list(splitter.split(X, y))
    except ValueError as error:
        raise ParamError("folds", f"cannot cut {len(y)} rows this way: {error}") from None
    return folds


def _fold_mse_ridge(problem: _Problem, X_train, y_train, X_test, y_test) -> np.ndarray:
    coefs = ridge_path(X_train, y_train, problem.alphas)  # features x alphas
    return _mean_squares(X_test - X_train.mean(axis=0), coefs, y_train.mean(), y_test)


def centred_path(
    problem: _Problem, X: np.ndarray, y: np.ndarray, x_offset: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """``enet_path`` over the grid on centred X and y, as ``LassoCV`` runs it on a fold
    (precompute="auto": the Gram matrix when there are more rows than features); the
    coefficients (features x alphas) and the offsets taken out.

    The inputs ``enet_path`` would build for itself (X copied to Fortran order, the Gram
    matrix and X^T y) are built here and passed with ``check_input=False``: its checks
    re-validate the Gram matrix at every alpha, 80 % of the path's time on the penalties
    data. Same arrays, same BLAS calls, same coordinate descent: the same bits.

    ``x_offset`` given: X is the caller's own Fortran-ordered copy (``training_rows``) and
    this is its mean; X is centred in place, without a second copy."""
    y_offset = y.mean()
    if x_offset is None:
        x_offset = X.mean(axis=0)
        Xc = np.array(X, order="F")  # one copy, centred in place (X - x_offset made two)
    else:
        Xc = X
    Xc -= x_offset
    yc = y - y_offset
    gram, xy = None, None
    rows, features = Xc.shape
    if rows > features:  # what _pre_fit does for precompute="auto"
        gram = np.empty((features, features))
        np.dot(Xc.T, Xc, out=gram)
        xy = np.empty(features)
        np.dot(Xc.T, yc, out=xy)
    _, coefs, _ = enet_path(
        Xc,
        yc,
        l1_ratio=problem.l1_ratio,
        alphas=problem.alphas,
        precompute=False if gram is None else gram,
        Xy=xy,
        check_input=False,
    )
    return coefs, x_offset, float(y_offset)


def _fold_mse_enet(problem: _Problem, X, y, train, test) -> np.ndarray:
    # What LassoCV's _path_residuals does: the path on the centred training fold, then the
    # intercept added back for the held-out rows.
    X_train, x_offset, X_test = _enet_fold(X, train, test, problem.standardize)
    y_train, y_test = y[train], held_out_rows(y, test)
    coefs, x_offset, y_offset = centred_path(problem, X_train, y_train, x_offset)
    del X_train  # centred in place and done with: freed before the predictions are made
    intercepts = y_offset - x_offset @ coefs
    return _mean_squares(X_test, coefs, intercepts, y_test)


def _mean_squares(X_test: np.ndarray, coefs: np.ndarray, offset, y_test: np.ndarray):
    """``np.mean((X_test @ coefs + offset - y_test[:, None]) ** 2, axis=0)`` block by block
    of held-out rows, the same bits (the running sum continued as in ``training_rows``; a
    row's prediction does not depend on the rows multiplied with it), without the held-out
    rows x alphas arrays: 50 alphas over 20 features, each 2.5x the held-out rows' size."""
    total: np.ndarray | None = None
    for start in range(0, len(y_test), BLOCK_ROWS):
        block = X_test[start : start + BLOCK_ROWS] @ coefs
        block += offset
        block -= y_test[start : start + BLOCK_ROWS, None]
        np.square(block, out=block)
        total = add_rows(total, block)
    assert total is not None, "a fold has held-out rows"
    return total / len(y_test)


def _logistic(
    l1_ratio: float, alpha: float, warm_start: bool = False
) -> LogisticRegression | IrlsLogisticRegression:
    # lbfgs for L2 (the refits, and the CV walk where the Newton path does not apply);
    # IRLS-CD for any L1 share: it converges where saga stops at max_iter
    # (reglab.core.logistic), and warm-starts along the grid.
    if l1_ratio > 0:
        return IrlsLogisticRegression(
            C=1.0 / alpha, l1_ratio=l1_ratio, max_iter=LOGISTIC_MAX_ITER, warm_start=warm_start
        )
    return LogisticRegression(
        C=1.0 / alpha, l1_ratio=0.0, max_iter=LOGISTIC_MAX_ITER, warm_start=warm_start
    )


def _classes(y_train: np.ndarray) -> np.ndarray:
    classes = np.unique(y_train)
    if classes.size < 2:
        raise DataError(
            "splitter: a training fold holds a single class; use splitter=stratified or fewer folds"
        )
    return classes


def _logistic_walk(problem: _Problem, X_train, y_train, cancelled, on_alpha=None) -> None:
    """Fit along the grid from strong to weak penalty, each fit starting from the last."""
    _classes(y_train)
    model = _logistic(problem.l1_ratio, problem.alphas[0], warm_start=True)
    for index, alpha in enumerate(problem.alphas):
        check_cancelled(cancelled)
        model.set_params(C=1.0 / alpha)
        model.fit(X_train, y_train)
        if on_alpha is not None:
            on_alpha(index, model)


def _takes_newton_path(problem: _Problem, classes: int, features: int) -> bool:
    """Whether the CV fits take the Newton path: two classes, L2, not too many features."""
    return problem.l1_ratio == 0 and classes == 2 and features <= NEWTON_MAX_FEATURES


def _fold_accuracy(problem: _Problem, X_train, y_train, X_test, y_test, cancelled) -> np.ndarray:
    classes = _classes(y_train)
    if _takes_newton_path(problem, classes.size, X_train.shape[1]):
        # alpha descending is C ascending: the Newton path walks the grid in the same order.
        path = l2_logistic_path(X_train, y_train == classes[1], 1.0 / problem.alphas, cancelled)
        decision = X_test @ path[:, :-1].T + path[:, -1]  # test rows x alphas
        predicted = classes[(decision > 0).astype(int)]  # LogisticRegression.predict's rule
        return np.mean(predicted == y_test[:, None], axis=0)
    accuracy = np.empty(len(problem.alphas))

    def score(index: int, model: LogisticRegression | IrlsLogisticRegression) -> None:
        accuracy[index] = np.mean(model.predict(X_test) == y_test)

    _logistic_walk(problem, X_train, y_train, cancelled, score)
    return accuracy


def fold_scores(
    problem: _Problem,
    splitter,
    X: np.ndarray,
    y: np.ndarray,
    backend: Backend,
    progress=None,
    cancelled=None,
) -> np.ndarray:
    """Score of every alpha on every fold: folds x alphas (MSE, or accuracy for logistic).
    Each fold's whole path is one unit of the sweep (its alphas are one warm-started walk)."""
    unit = partial(_score_fold, problem, splitter)
    count = splitter.get_n_splits(X, y)
    span = (0.0, count / (count + 1))
    # lbfgs's Python loop holds the GIL and a lasso path is bound by memory (see run_units);
    # the Newton path's BLAS and ufuncs share out on large folds (20 000 rows: 3.4 s on two
    # workers, 4.7 s on one), as the ridge's SVDs do.
    lbfgs = (
        problem.model == "logistic"
        and problem.l1_ratio == 0
        and not _takes_newton_path(problem, np.unique(y).size, X.shape[1])
    )
    return np.array(
        run_units(
            unit,
            (X, y),
            count,
            backend,
            progress=progress,
            cancelled=cancelled,
            what="folds",
            span=span,
            threads_help=not (lbfgs or problem.coordinate_descent),
        )
    )


def _score_fold(problem: _Problem, splitter, data: tuple[np.ndarray, np.ndarray], index: int):
    """One unit: the fold ``index`` of ``splitter`` scored along the whole grid."""
    X, y = data
    with collected():  # the splitter's warnings were noted once, when the folds were cut
        train, test = next(islice(splitter.split(X, y), index, None))
    if problem.coordinate_descent:
        return _fold_mse_enet(problem, X, y, train, test)
    X_train, X_test = _prepare(X[train], X[test], problem.standardize)
    y_train, y_test = y[train], held_out_rows(y, test)
    if problem.model == "logistic":
        return _fold_accuracy(problem, X_train, y_train, X_test, y_test, unit_cancelled)
    return _fold_mse_ridge(problem, X_train, y_train, X_test, y_test)


def _enet_fold(X: np.ndarray, train: np.ndarray, test: np.ndarray, standardize: bool):
    """The training rows as their own Fortran copy, their mean, and the held-out rows."""
    if standardize:
        X_train, X_test = _prepare(X[train], X[test], standardize)
        return np.array(X_train, order="F"), X_train.mean(axis=0), X_test
    return (*training_rows(X, train), held_out_rows(X, test))


def choose(
    alphas: np.ndarray, mean: np.ndarray, se: np.ndarray, higher_is_better: bool
) -> tuple[int, int]:
    """Indices of alpha_min and alpha_1se on a descending grid (the one-SE rule)."""
    sign = -1.0 if higher_is_better else 1.0
    loss = sign * mean  # lower is better from here on
    index_min = int(np.argmin(loss))  # first = largest alpha on exact ties
    threshold = loss[index_min] + se[index_min]
    within = np.flatnonzero(loss <= threshold)
    index_1se = int(within[np.argmax(alphas[within])])
    return index_min, index_1se


def _coef_vector(coef: np.ndarray) -> np.ndarray:
    """One number per feature: multiclass logistic gives the L2 norm over classes."""
    coef = np.atleast_2d(coef)
    return coef[0] if coef.shape[0] == 1 else np.linalg.norm(coef, axis=0)


def _full_data(
    problem: _Problem,
    X: np.ndarray,
    y: np.ndarray,
    cancelled,
    notes: list[str],
    picks: tuple[float, float],
) -> tuple[list[int] | None, list[np.ndarray]]:
    """Fits on all rows: the non-zero count along the grid (L1 models) and the coefficients
    refit at alpha_min and alpha_1se."""
    if problem.standardize:
        X = StandardScaler().fit_transform(X)
    if problem.model == "ridge":
        coefs = ridge_path(X, y, np.asarray(picks))
        return None, [coefs[:, 0], coefs[:, 1]]
    if problem.model == "logistic":
        with convergence_notes(notes, "logistic refit"):
            refits = [_coef_vector(_logistic(problem.l1_ratio, a).fit(X, y).coef_) for a in picks]
        if problem.l1_ratio == 0:
            return None, refits
        counts = np.empty(len(problem.alphas), dtype=int)

        def count(index: int, model: LogisticRegression | IrlsLogisticRegression) -> None:
            counts[index] = np.count_nonzero(_coef_vector(model.coef_))

        with convergence_notes(notes, "logistic path on all rows"):
            _logistic_walk(problem, X, y, cancelled, count)
        return counts.tolist(), refits
    with convergence_notes(notes, f"{problem.model} path on all rows"):
        coefs = centred_path(problem, X, y)[0]
    # The final models, fitted as LassoCV refits its alpha_ (ElasticNet, precompute off).
    with convergence_notes(notes, f"{problem.model} refit"):
        refits = [ElasticNet(alpha=a, l1_ratio=problem.l1_ratio).fit(X, y).coef_ for a in picks]
    return np.count_nonzero(coefs, axis=0).tolist(), refits


# One BLAS thread throughout (reglab.core.blas), not only for the refits: on two busy cores
# OpenBLAS's thread team made a 1e5-row search take 0.6-14 s instead of 0.2 s.
@single_blas_thread()
def run(
    params: LambdaParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> LambdaResult:
    params = params.effective()
    report(progress, 0.0, "reading the data")  # a large CSV takes seconds
    data = load_data(params)
    X, y = np.asarray(data.X, dtype=float), data.y
    if params.model != "logistic":
        y = np.asarray(y, dtype=float)
    span = data_range(params, X, y)
    alphas = alphas_for(params, span)
    problem = _Problem(alphas, params.model, params.l1_ratio, bool(params.standardize))
    splitter = make_splitter(params)
    notes = [*data.notes, *outside_notes(alphas, span)]
    folds = len(_split(splitter, X, y, notes))
    with convergence_notes(notes, f"{params.model} CV fits"):
        scores = fold_scores(problem, splitter, X, y, Backend.of(params), progress, cancelled)
    check_cancelled(cancelled)
    mean = scores.mean(axis=0)
    se = scores.std(axis=0, ddof=1) / math.sqrt(folds)
    logistic = params.model == "logistic"
    index_min, index_1se = choose(alphas, mean, se, higher_is_better=logistic)
    report(progress, folds / (folds + 1), "refit on all rows")
    n_nonzero, (coef_min, coef_1se) = _full_data(
        problem, X, y, cancelled, notes, (float(alphas[index_min]), float(alphas[index_1se]))
    )
    report(progress, 1.0, "done")
    return LambdaResult(
        params=params,
        alphas=alphas.tolist(),
        cv_mean=mean.tolist(),
        cv_se=se.tolist(),
        alpha_min=float(alphas[index_min]),
        alpha_1se=float(alphas[index_1se]),
        n_nonzero=n_nonzero,
        score="accuracy" if logistic else "mse",
        index_min=index_min,
        index_1se=index_1se,
        score_min=float(mean[index_min]),
        score_1se=float(mean[index_1se]),
        fold_scores=scores.tolist(),
        coef_min=np.asarray(coef_min, dtype=float).tolist(),
        coef_1se=np.asarray(coef_1se, dtype=float).tolist(),
        n_nonzero_min=int(np.count_nonzero(coef_min)),
        n_nonzero_1se=int(np.count_nonzero(coef_1se)),
        feature_names=list(data.feature_names),
        cv=repr(splitter),
        notes=tuple(notes),
        ranges={"alpha": span},
    )
