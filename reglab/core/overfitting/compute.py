"""Lab 1 — overfitting: a polynomial fit of growing degree, and ridge as the cure.

Reference: ``x = linspace(0, 1, 15)``, ``y = 2x + 1 + 0.3 * RandomState(42).randn(15)``,
``PolynomialFeatures(degree) -> StandardScaler -> LinearRegression`` (alpha 0) or ``Ridge``.

At alpha 0 LinearRegression solves with ``scipy.linalg.lstsq(cond=tol)``: from scikit-learn
1.9 its ``tol=1e-6`` is that cut-off (1.8 left scipy's machine precision), so singular values
below 1e-6 of the largest are dropped, which at degree 14 (relative singular values down to
4e-12) is an implicit regularization. ``solver=exact`` keeps them (``MinNormLeastSquares``).

``learning_curve`` is scikit-learn's ``learning_curve`` of that pipeline on the training points:
``KFold(5, shuffle=True, random_state=seed)``, ``shuffle=True, random_state=seed`` (a size's
points are a random draw from the fold's training points, not its leftmost x values),
``scoring="neg_mean_squared_error"``, reported as MSE (the scores negated); the sizes run
from 2 points (the fewest a line needs) to all of a fold's training points (12 of 15), at
most ten of them. It is called one size at a time on those folds with the rows already in
learning_curve's shuffled order (the same fits), each size cached, and comes after a partial
result that holds everything else: a degree key press redraws the fit at once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import KFold, learning_curve
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.learning import in_drawing_order, summary
from reglab.core.notes import cache_with_warnings, warnings_as_notes
from reglab.core.overfitting.params import EXACT, LSTSQ, OverfittingParams
from reglab.core.results import LabResult
from reglab.core.strength import alpha_range, outside_note

GRID_POINTS = 200
TEST_POINTS = 200
MAX_DEGREE = 20
LEARNING_FOLDS = 5
LEARNING_SIZES = 10  # at most; fewer when a fold has fewer than 11 training points


def true_line(x: np.ndarray) -> np.ndarray:
    return 2 * x + 1


@dataclass(frozen=True)
class OverfittingData:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    x_grid: np.ndarray


def make_data(params: OverfittingParams) -> OverfittingData:
    """Training points as in the reference; test points are 200 fresh draws with seed + 1."""
    x_train = np.linspace(0, 1, params.n_samples)
    y_train = true_line(x_train) + params.noise * np.random.RandomState(params.seed).randn(
        params.n_samples
    )
    test_rng = np.random.RandomState(params.seed + 1)
    x_test = test_rng.uniform(0, 1, TEST_POINTS)
    y_test = true_line(x_test) + params.noise * test_rng.randn(TEST_POINTS)
    return OverfittingData(x_train, y_train, x_test, y_test, np.linspace(0, 1, GRID_POINTS))


class MinNormLeastSquares(RegressorMixin, BaseEstimator):
    """Least squares with every singular value kept: ``np.linalg.lstsq(rcond=None)`` (a
    cut-off of machine epsilon × max(rows, columns)) on the centred features, the intercept
    recovered from the means as LinearRegression does. With as many parameters as points it
    interpolates; with more, it is the interpolant of smallest norm."""

    def fit(self, X: np.ndarray, y: np.ndarray) -> MinNormLeastSquares:
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        x_mean, y_mean = X.mean(axis=0), y.mean()
        self.coef_ = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)[0]
        self.intercept_ = float(y_mean - x_mean @ self.coef_)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_


def make_regressor(
    alpha: float, solver: str = LSTSQ
) -> LinearRegression | Ridge | MinNormLeastSquares:
    """Alpha 0 means plain least squares, as in the reference (or, with ``solver=exact``,
    without LinearRegression's singular value cut-off); ``solver`` does nothing to ridge."""
    if alpha != 0:
        return Ridge(alpha=alpha)
    return MinNormLeastSquares() if solver == EXACT else LinearRegression()


def make_model(degree: int, alpha: float, solver: str = LSTSQ) -> Pipeline:
    """The reference pipeline."""
    return make_pipeline(
        PolynomialFeatures(degree), StandardScaler(), make_regressor(alpha, solver)
    )


def _fit(
    data: OverfittingData, degree: int, alpha: float, solver: str
) -> tuple[Pipeline, float, float]:
    model = make_model(degree, alpha, solver).fit(data.x_train[:, None], data.y_train)
    train_mse = mean_squared_error(data.y_train, model.predict(data.x_train[:, None]))
    test_mse = mean_squared_error(data.y_test, model.predict(data.x_test[:, None]))
    return model, float(train_mse), float(test_mse)


@cache_with_warnings(maxsize=32)
def errors_by_degree(
    alpha: float, n_samples: int, noise: float, seed: int, solver: str = LSTSQ
) -> tuple[tuple[float, float], ...]:
    """(train, test) MSE for degrees 1..MAX_DEGREE; independent of the chosen degree, so it is
    cached and a degree key press costs one fit.

    For 1-D x, PolynomialFeatures(d) is the first d+1 columns of PolynomialFeatures(MAX_DEGREE)
    and StandardScaler scales each column on its own, so one transform serves every degree;
    the same regressor is then fit on each slice (tested against the full pipeline).
    """
    data = make_data(OverfittingParams(n_samples=n_samples, noise=noise, seed=seed))
    features = make_pipeline(PolynomialFeatures(MAX_DEGREE), StandardScaler())
    train = features.fit_transform(data.x_train[:, None])
    test = features.transform(data.x_test[:, None])
    rows = []
    for degree in range(1, MAX_DEGREE + 1):
        regressor = make_regressor(alpha, solver).fit(train[:, : degree + 1], data.y_train)
        rows.append(
            (
                float(mean_squared_error(data.y_train, regressor.predict(train[:, : degree + 1]))),
                float(mean_squared_error(data.y_test, regressor.predict(test[:, : degree + 1]))),
            )
        )
    return tuple(rows)


@cache_with_warnings(maxsize=16)
def learning_splits(n_samples: int, seed: int) -> tuple:
    """KFold(5, shuffle=True, random_state=seed) over the training points, each fold's
    training points in the order ``learning_curve(shuffle=True, random_state=seed)`` takes its
    subsets from (one RandomState(seed) permuting the folds in turn)."""
    folds = KFold(LEARNING_FOLDS, shuffle=True, random_state=seed).split(np.zeros(n_samples))
    return in_drawing_order(folds, seed)


def learning_sizes(n_samples: int, seed: int) -> tuple[int, ...]:
    """From 2 points to all of the first fold's training points (learning_curve's largest)."""
    n_max = len(learning_splits(n_samples, seed)[0][0])
    spaced = np.linspace(2, n_max, min(LEARNING_SIZES, n_max - 1))
    return tuple(int(n) for n in np.unique(np.round(spaced).astype(int)))


@dataclass(frozen=True)
class LearningPoint:
    """Train and held-out MSE per fold at one training-set size."""

    train_mse: tuple[float, ...]
    test_mse: tuple[float, ...]


@cache_with_warnings(maxsize=512)
def learning_point(
    degree: int, alpha: float, solver: str, n_samples: int, noise: float, seed: int, size: int
) -> LearningPoint:
    """One size of the learning curve: ``learning_curve`` itself, the scores negated."""
    data = make_data(OverfittingParams(n_samples=n_samples, noise=noise, seed=seed))
    _, train, test = learning_curve(
        make_model(degree, alpha, solver),
        data.x_train[:, None],
        data.y_train,
        train_sizes=[size],
        cv=list(learning_splits(n_samples, seed)),
        scoring="neg_mean_squared_error",
    )
    return LearningPoint(tuple(-float(v) for v in train[0]), tuple(-float(v) for v in test[0]))


def learning_summary(sizes: tuple[int, ...], points: list[LearningPoint]) -> dict:
    """Mean and standard deviation of the MSE over the folds at each size."""
    return summary(
        sizes,
        [point.train_mse for point in points],
        [point.test_mse for point in points],
        "mean_squared_error",
    )


@dataclass(frozen=True)
class OverfittingResult(LabResult):
    params: OverfittingParams  # narrows LabResult.params (same field, same place)
    train_mse: float
    test_mse: float
    true_mse: float
    coef: list[float]
    coef_l2_norm: float
    curve: dict[str, list[float]]
    by_degree: list[dict[str, float]]
    train_points: dict[str, list[float]]
    # {train_sizes, train_mean, train_std, test_mean, test_std, scoring}: MSE against the
    # number of training points; None only in the partial result sent before it is computed.
    learning_curve: dict | None


def run(
    params: OverfittingParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> OverfittingResult:
    params = params.effective()
    data = make_data(params)
    # Ridge ignores the solver: one cache entry per alpha, whatever solver says.
    solver = params.solver if params.alpha == 0 else LSTSQ
    model, train_mse, test_mse = _fit(data, params.degree, params.alpha, solver)
    curve_y = model.predict(data.x_grid[:, None])
    coef = model[-1].coef_
    # The ridge alphas that matter for these features (reglab.core.strength).
    span = alpha_range(model[:-1].transform(data.x_train[:, None]), data.y_train, "ridge")
    outside = outside_note(params.alpha, span, "ridge") if params.alpha > 0 else ()
    true_mse = float(mean_squared_error(true_line(data.x_grid), curve_y))
    check_cancelled(cancelled)
    errors = errors_by_degree(params.alpha, params.n_samples, params.noise, params.seed, solver)
    by_degree = [
        {"degree": degree, "train_mse": train, "test_mse": test}
        for degree, (train, test) in enumerate(errors, start=1)
    ]

    def result(learning: dict | None) -> OverfittingResult:
        return OverfittingResult(
            params=params,
            train_mse=train_mse,
            test_mse=test_mse,
            true_mse=true_mse,
            coef=coef.tolist(),
            coef_l2_norm=float(np.linalg.norm(coef)),
            curve={"x": data.x_grid.tolist(), "y": curve_y.tolist()},
            by_degree=by_degree,
            train_points={"x": data.x_train.tolist(), "y": data.y_train.tolist()},
            learning_curve=learning,
            notes=outside,
            ranges={"alpha": span},
        )

    # The fit and the error against degree first (the job's first message, so the runner's
    # throttle never drops it), then the learning curve, size by size.
    sizes = learning_sizes(params.n_samples, params.seed)
    report(progress, 0.1, "learning curve", partial=result(None))
    points = []
    # Its fits' warnings (ill-conditioned solves at a tiny alpha) are counted apart from
    # those of the fit and the error against degree (cached points replay theirs).
    warned: list[str] = []
    with warnings_as_notes(warned):
        for done, size in enumerate(sizes):
            check_cancelled(cancelled)
            report(progress, 0.1 + 0.9 * done / len(sizes), f"learning curve: {size} points")
            points.append(
                learning_point(
                    params.degree,
                    params.alpha,
                    solver,
                    params.n_samples,
                    params.noise,
                    params.seed,
                    size,
                )
            )
    report(progress, 1.0, "done")
    final = result(learning_summary(sizes, points))
    learning_notes = (f"learning curve: {note}" for note in warned)
    return dataclasses.replace(final, notes=(*final.notes, *learning_notes))
