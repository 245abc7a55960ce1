"""Two-class L2 logistic regression solved along a grid of C by Newton's method.

The lambda lab scores 50 values of C on every fold. Warm-started ``LogisticRegression``
(lbfgs) took 1.2 ms a fit on breast_cancer, most of it Python around each iteration, and
stopped at its tolerance short of the optimum for large C. Here one fold's whole grid is one
walk from the strongest penalty to the weakest, and each C needs about one Hessian:

- the start is predicted from the last solution along the path's tangent,
  dbeta/dlog(C) = H^-1 P beta / C (P zeroes the unpenalized intercept), which costs one
  triangular solve with the Hessian already factorized;
- one Newton step with a fresh Hessian (a 455 x 31 ``syrk`` on breast_cancer) follows, then
  chord steps that reuse its Cholesky factor (a gradient and a solve each) until a step
  moves no coefficient by more than ``STEP_TOL`` relative; a chord step that contracts
  too little, or needs damping, calls for a fresh Hessian again.

Every step is checked against the objective (halved until it does not rise), so the fixed
point is exactly scikit-learn's optimum of ``C * sum(log_loss) + |w|^2 / 2`` with an
unpenalized intercept, whatever approximation of the Hessian led there. The unit tests
compare it with ``LogisticRegression`` run to a tight tolerance.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.linalg.blas import dsyrk
from scipy.linalg.lapack import dpotrf, dpotrs
from scipy.special import expit, log_expit
from sklearn.exceptions import ConvergenceWarning

from reglab.core.jobs import CancelledCallback, check_cancelled

# A fit ends when the steps still to come move no coefficient by more than this, relative
# to the largest: on breast_cancer within 2e-10 of LogisticRegression at tol=1e-14.
STEP_TOL = 1e-10
MAX_STEPS = 100  # per C; the path needs about five
# A chord step must shrink the last step at least this much, or the Hessian is refreshed.
CONTRACTION = 0.1
# Working weights p(1-p) below this are clipped: the Hessian of a point classified with
# certainty stays positive. Only the step's path changes; the fixed point does not.
MIN_WEIGHT = 1e-10
# Objectives equal to this relative precision count as equal (rounding, not a rise).
ROUNDING = 1e-13
MIN_FRACTION = 1e-10  # the shortest damped step tried


@dataclass(frozen=True)
class _Fold:
    """One training set: rows with a column of ones appended (the intercept, last)."""

    Z: np.ndarray
    target: np.ndarray  # 1.0 for the positive class, else 0.0
    sign: np.ndarray  # +1 / -1: the log loss is -log_expit(sign * score)

    @property
    def features(self) -> int:
        return self.Z.shape[1] - 1

    def objective(self, beta: np.ndarray, C: float) -> tuple[np.ndarray, float]:
        """The scores and ``sum(log_loss) + |w|^2 / (2C)`` (scikit-learn's objective / C)."""
        scores = self.Z @ beta
        w = beta[: self.features]
        return scores, float(-np.sum(log_expit(self.sign * scores)) + 0.5 * (w @ w) / C)


def l2_logistic_path(
    X: np.ndarray,
    positive: np.ndarray,
    Cs: np.ndarray,
    cancelled: CancelledCallback | None = None,
) -> np.ndarray:
    """Coefficients and intercept for every C of the ascending ``Cs``: len(Cs) x (features
    + 1), the intercept last. ``positive`` marks the rows of the second class."""
    rows, features = X.shape
    Z = np.empty((rows, features + 1))
    Z[:, :features], Z[:, features] = X, 1.0
    target = positive.astype(float)
    fold = _Fold(Z, target, 2 * target - 1)
    share = target.mean()
    beta = np.zeros(features + 1)
    beta[features] = np.log(share / (1 - share))  # the intercept-only optimum
    path = np.empty((len(Cs), features + 1))
    factor: np.ndarray | None = None
    previous_C = 0.0
    for index, C in enumerate(map(float, Cs)):
        check_cancelled(cancelled)
        if factor is None:
            scores, value = fold.objective(beta, C)
        else:
            beta, scores, value = _predicted(fold, beta, factor, previous_C, C)
        beta, factor = _fit(fold, beta, scores, value, C)
        path[index], previous_C = beta, C
    return path


def _predicted(
    fold: _Fold, beta: np.ndarray, factor: np.ndarray, previous_C: float, C: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """The start for C, its scores and objective: one tangent step from the solution at
    ``previous_C`` (``factor`` is its Hessian's), unless the plain warm start is better (a
    long jump in C)."""
    slope = beta / previous_C
    slope[fold.features] = 0.0
    tangent = beta + np.log(C / previous_C) * dpotrs(factor, slope)[0]
    scores, value = fold.objective(tangent, C)
    warm_scores, warm_value = fold.objective(beta, C)
    return (tangent, scores, value) if value <= warm_value else (beta, warm_scores, warm_value)


def _fit(
    fold: _Fold, beta: np.ndarray, scores: np.ndarray, value: float, C: float
) -> tuple[np.ndarray, np.ndarray]:
    """Newton and chord steps from ``beta`` (with its ``scores`` and objective ``value``) to
    the optimum at ``C``; the optimum and the Cholesky factor of the last Hessian."""
    features = fold.features
    factor, fresh, last = np.empty(0), True, np.inf
    for _ in range(MAX_STEPS):
        p = expit(scores)
        gradient = fold.Z.T @ (p - fold.target)
        gradient[:features] += beta[:features] / C
        if fresh:
            factor = _hessian_factor(fold, p, C)
        step = dpotrs(factor, gradient)[0]
        beta, scores, value, fraction = _damped(fold, beta, step, value, C)
        size = float(np.abs(step).max())
        if _converged(size, last, fraction, STEP_TOL * max(1.0, float(np.abs(beta).max()))):
            return beta, factor
        fresh = fraction < 1 or size > CONTRACTION * last
        last = size
    warnings.warn(
        f"Newton path: C={C:.4g} not converged after {MAX_STEPS} steps",
        ConvergenceWarning,
        stacklevel=3,
    )
    return beta, factor


def _converged(size: float, last: float, fraction: float, tolerance: float) -> bool:
    """Whether the coefficients are within ``tolerance`` of the optimum after a step of
    ``size`` that followed one of ``last``: the step itself is that small, or (full steps
    shrinking by r = size / last) the steps still to come, size * r / (1 - r), are."""
    if size <= tolerance:
        return True
    shrinking = fraction == 1 and size < last < np.inf  # a first step has no ratio yet
    return shrinking and size * size / (last - size) <= tolerance


def _hessian_factor(fold: _Fold, p: np.ndarray, C: float) -> np.ndarray:
    """Upper Cholesky factor of Z^T diag(p(1-p)) Z + P / C."""
    root = np.sqrt(np.maximum(p * (1 - p), MIN_WEIGHT))
    # Z^T W Z as (sqrt(W) Z)^T (sqrt(W) Z): the transpose is Fortran-ordered, no copy.
    hessian = dsyrk(1.0, (fold.Z * root[:, None]).T)  # upper triangle
    features = fold.features
    hessian.flat[: features * (features + 2) : features + 2] += 1.0 / C
    factor, info = dpotrf(hessian)
    if info != 0:  # not numerically positive definite: nudge the diagonal (only the route)
        hessian.flat[:: features + 2] += 1e-12 * np.trace(hessian) / (features + 1)
        factor = dpotrf(hessian)[0]
    return factor


def _damped(
    fold: _Fold, beta: np.ndarray, step: np.ndarray, value: float, C: float
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """``beta - fraction * step`` for the longest fraction 1, 1/2, ... that does not raise
    the objective: the new coefficients, their scores, the objective and the fraction."""
    fraction = 1.0
    while True:
        candidate = beta - fraction * step
        scores, candidate_value = fold.objective(candidate, C)
        if candidate_value <= value + ROUNDING * abs(value) or fraction < MIN_FRACTION:
            return candidate, scores, candidate_value, fraction
        fraction /= 2
