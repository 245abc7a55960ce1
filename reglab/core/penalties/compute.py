"""Lab 2 — penalties: ridge (L2), lasso (L1) and elastic net side by side.

Reference: ``make_regression(100, 20, n_informative=5, noise=10, random_state=42)``;
``Ridge(1)``, ``Lasso(1)``, ``ElasticNet(1, l1_ratio=0.5)`` fit on all rows, unscaled; a
5-fold CV MSE summary for Linear, Ridge 0.1/1/10, Lasso 0.1/1 and ElasticNet(1, 0.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import RegressorMixin, clone
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from reglab.core.blas import single_blas_thread
from reglab.core.datasets import DataKey, Dataset, check_folds, data_key, load
from reglab.core.fold_rows import training_rows
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.least_squares import fit_linear_regression
from reglab.core.notes import cache_with_warnings, convergence_notes
from reglab.core.paths import penalized_path
from reglab.core.penalties.geometry import choose_pair, geometry
from reglab.core.penalties.params import PenaltiesParams
from reglab.core.results import LabResult
from reglab.core.strength import alpha_grid, alpha_range, outside_note

SUMMARY_MODELS: tuple[tuple[str, RegressorMixin], ...] = (
    ("Linear", LinearRegression()),
    ("Ridge(0.1)", Ridge(alpha=0.1)),
    ("Ridge(1)", Ridge(alpha=1.0)),
    ("Ridge(10)", Ridge(alpha=10.0)),
    ("Lasso(0.1)", Lasso(alpha=0.1)),
    ("Lasso(1)", Lasso(alpha=1.0)),
    ("ElasticNet(1, 0.5)", ElasticNet(alpha=1.0, l1_ratio=0.5)),
)


def make_model(model: str, alpha: float, l1_ratio: float) -> RegressorMixin:
    if model == "ridge":
        return Ridge(alpha=alpha)
    if model == "lasso":
        return Lasso(alpha=alpha)
    return ElasticNet(alpha=alpha, l1_ratio=l1_ratio)


def with_scaling(estimator: RegressorMixin, standardize: bool) -> RegressorMixin | Pipeline:
    """Scaling lives inside the pipeline, so CV fits the scaler on each training fold only."""
    return make_pipeline(StandardScaler(), estimator) if standardize else estimator


def final_step(estimator: RegressorMixin | Pipeline) -> RegressorMixin:
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator


def centring_in_place(estimator: RegressorMixin | Pipeline) -> RegressorMixin | Pipeline:
    """A clone whose model centres its training rows in place (``copy_X=False``).

    Every fold's fit gets its own copy of the rows (``fold_errors``), so a second copy for
    the centring only costs memory: on 1e6 rows x 20 features it was the lab's peak
    (LinearRegression: three copies of a training fold at once). ``X -= mean`` on the
    fold's copy gives the numbers ``X - mean`` gave.
    """
    copy = clone(estimator)
    final_step(copy).set_params(copy_X=False)
    return copy


def cv_mse(estimator, data: Dataset, folds: int) -> tuple[float, float]:
    """Mean and std of the fold MSEs, exactly as ``cross_val_score`` computes them."""
    errors = fold_errors(estimator, data, folds)
    return float(errors.mean()), float(errors.std())


def fold_errors(estimator, data: Dataset, folds: int) -> np.ndarray:
    """``cross_val_score``'s fold MSEs (``KFold``, unshuffled), bit for bit, holding less.

    ``cross_val_score`` copies a fold's training and held-out rows before the fit, and a
    lasso or elastic net copies its training rows again, into the Fortran order coordinate
    descent works in: at 1e6 rows, twice the data at once beside the data itself. Here the
    held-out rows are copied only once the fit is done and its rows are freed, and a plain
    lasso or elastic net gets its fold gathered straight into Fortran order
    (``training_rows``), the values it would have copied, and fits it in place; a plain
    linear regression likewise (``fit_linear_regression``). The held-out rows are copied,
    not viewed, as ``cross_val_score`` does: their layout sets the order a prediction is
    summed in.
    """
    coordinate_descent = isinstance(estimator, ElasticNet)  # Lasso is one too; not scaled
    least_squares = _plain_least_squares(estimator, data.X)
    errors = []
    for train, test in KFold(folds).split(data.X):
        if least_squares and len(train) >= data.X.shape[1]:
            model = fit_linear_regression(data.X, data.y, train)
        else:
            X_train = training_rows(data.X, train)[0] if coordinate_descent else data.X[train]
            model = centring_in_place(estimator)
            model.fit(X_train, data.y[train])
            del X_train
        errors.append(mean_squared_error(data.y[test], model.predict(data.X[test])))
    return np.array(errors)


def _plain_least_squares(estimator, X: np.ndarray) -> bool:
    """A plain ``LinearRegression()`` on float64 data: on a fold of at least as many rows as
    features, ``fit_linear_regression`` gives its fit with one copy of the fold, not two."""
    return (
        type(estimator) is LinearRegression
        and estimator.get_params() == LinearRegression().get_params()
        and X.dtype == np.float64
    )


@cache_with_warnings(maxsize=8)
def _summary(
    key: DataKey, standardize: bool, folds: int
) -> tuple[tuple[dict, ...], tuple[str, ...]]:
    """The CV table does not depend on the model knobs, so it is cached across key presses."""
    data, notes = load(key), list[str]()
    rows = []
    for name, estimator in SUMMARY_MODELS:
        with convergence_notes(notes, name):
            mean, std = cv_mse(with_scaling(estimator, standardize), data, folds)
        rows.append({"model": name, "cv_mse": mean, "cv_mse_std": std})
    return tuple(rows), tuple(notes)


@dataclass(frozen=True)
class Path:
    """The regularization path over the data's alpha range (reglab.core.strength)."""

    span: tuple[float, float]  # (low, high): the alpha control's range for these data
    alphas: np.ndarray  # descending, ten a decade
    coefs: np.ndarray  # features x alphas
    notes: tuple[str, ...]


@cache_with_warnings(maxsize=16)
def _path(key: DataKey, standardize: bool, model: str, l1_ratio: float) -> Path:
    """Coefficients along the data's alpha range, cached per model and data."""
    data, notes = load(key), list[str]()
    X = StandardScaler().fit_transform(data.X) if standardize else data.X
    span = alpha_range(X, data.y, model, l1_ratio)
    alphas = alpha_grid(span)
    with convergence_notes(notes, f"{model} path"):
        coefs = penalized_path(X, data.y, model, alphas, l1_ratio)
    return Path(span, alphas, coefs, tuple(notes))


@dataclass(frozen=True)
class PenaltiesResult(LabResult):
    params: PenaltiesParams  # narrows LabResult.params (same field, same place)
    coef: list[float]
    true_coef: list[float] | None
    feature_names: list[str]
    n_nonzero: int
    train_mse: float
    cv_mse: float
    cv_mse_std: float
    path: dict[str, list]
    summary: list[dict]
    geometry: dict[str, Any] | None  # the plane of two coefficients (core/penalties/geometry)


# One BLAS thread: the fits are a series of narrow problems, where a thread team per call
# costs more than it saves, badly when the other core is busy (bench_scaling on a busy 2-core
# machine, 1e5 rows x 20: 26 s -> 0.6 s; 1e6: 17-19 s -> 7.5 s). The numbers no longer depend
# on the core count either (on 1e5 rows they did, in the last digits).
@single_blas_thread()
def run(
    params: PenaltiesParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
    *,
    with_geometry: bool = True,
) -> PenaltiesResult:
    """``with_geometry=False`` (the app, while the geometry chart is hidden) leaves
    ``geometry`` None for data of two or more features: a third of a key's computation."""
    params = params.effective()
    key = data_key(params, "regression")
    report(progress, 0.0, "reading the data")  # a large CSV takes seconds
    data = load(key)
    check_folds(data, params.folds)
    notes = list(data.notes)
    estimator = with_scaling(
        make_model(params.model, params.alpha, params.l1_ratio), params.standardize
    )
    report(progress, 0.1, "fitting")
    with convergence_notes(notes, params.model):
        estimator.fit(data.X, data.y)
        check_cancelled(cancelled)
        report(progress, 0.3, "cross-validating")
        mean, std = cv_mse(estimator, data, params.folds)
    check_cancelled(cancelled)
    report(progress, 0.6, "regularization path")
    path = _path(key, params.standardize, params.model, params.l1_ratio)
    check_cancelled(cancelled)
    report(progress, 0.8, "summary")
    summary, summary_notes = _summary(key, params.standardize, params.folds)
    fitted = final_step(estimator)
    coef = fitted.coef_
    plane = None
    if with_geometry:
        report(progress, 0.9, "geometry")
        # The features as the estimator saw them, so the plane's problem is the fit's own.
        Z = estimator[0].transform(data.X) if isinstance(estimator, Pipeline) else data.X
        with convergence_notes(notes, f"{params.model} geometry"):
            plane = geometry(
                params,
                data,
                Z,
                coef,
                float(fitted.intercept_),
                make_model(params.model, params.alpha, params.l1_ratio),
                path.alphas,
            )
    else:
        choose_pair(params.geometry_features, data, coef)  # a bad pair is still refused
    train_mse = float(np.mean((data.y - estimator.predict(data.X)) ** 2))
    return PenaltiesResult(
        params=params,
        coef=coef.tolist(),
        true_coef=None if data.true_coef is None else data.true_coef.tolist(),
        feature_names=list(data.feature_names),
        n_nonzero=int(np.count_nonzero(coef)),
        train_mse=train_mse,
        cv_mse=mean,
        cv_mse_std=std,
        path={"alphas": path.alphas.tolist(), "coefs": path.coefs.tolist()},
        summary=[dict(row) for row in summary],
        geometry=plane,
        notes=(
            *notes,
            *outside_note(params.alpha, path.span, params.model),
            *path.notes,
            *summary_notes,
        ),
        ranges={"alpha": path.span},
    )
