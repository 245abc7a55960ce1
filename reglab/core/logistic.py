"""L1 and elastic-net logistic regression solved to the optimum, fast: IRLS with coordinate
descent, as glmnet does.

scikit-learn offers saga for these penalties. On standardized breast_cancer, saga needs more
than its 1000 epochs for most C above 1 (the reference's "66 of 102 fits did not converge"),
and its unconverged CV accuracy at C = 1 (0.9702) is not the model's (0.9684). This solver
minimizes exactly scikit-learn's objective

    C * sum_i log_loss_i + l1_ratio * |W|_1 + (1 - l1_ratio) / 2 * |W|_2^2

(one coefficient row for two classes, one per class and the softmax otherwise, intercepts
unpenalized) by proximal Newton steps: each step is a weighted elastic net on the working
response, solved by scikit-learn's ``enet_path`` on the 30x30 Gram matrix, then made exact on
its active set by one linear solve; a backtracking line search keeps every step downhill.
More classes cycle over the class blocks (glmnet's multinomial scheme). Tests check it
against liblinear and saga run to tight tolerances.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import expit, log_expit, logsumexp, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import enet_path
from sklearn.utils.validation import check_is_fitted, validate_data

from reglab.core.notes import dropped

# Working weights p(1-p) below this are clipped: a point the model already classifies with
# certainty still keeps the weighted least squares well posed (glmnet clips the same way).
MIN_WEIGHT = 1e-10
# Loose inner solves suffice: the active-set refinement makes the step exact.
INNER_TOL = 1e-4
INNER_MAX_ITER = 2000


class IrlsLogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression with an L1 or elastic-net penalty (``l1_ratio`` > 0) fit by
    IRLS-CD; ``coef_``, ``intercept_``, ``classes_`` and scoring follow ``LogisticRegression``.

    ``tol`` is the relative decrease of the objective over one Newton step below which the
    fit stops; ``max_iter`` caps the Newton steps (a ConvergenceWarning says it ran out).
    ``warm_start`` starts from the previous fit, as along a path of growing C.
    """

    def __init__(
        self,
        C: float = 1.0,
        l1_ratio: float = 1.0,
        tol: float = 1e-10,
        max_iter: int = 1000,
        warm_start: bool = False,
    ) -> None:
        self.C = C
        self.l1_ratio = l1_ratio
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start

    def fit(self, X, y) -> IrlsLogisticRegression:
        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("logistic regression needs two or more classes")
        binary = len(self.classes_) == 2
        targets = (y[:, None] == self.classes_[None, :]).astype(float)
        if binary:
            targets = targets[:, 1:]  # one row of coefficients: the log-odds of classes_[1]
        start = self._start(targets, X.shape[1])
        weights, intercepts, steps = _fit(
            X, targets, start, self.C, self.l1_ratio, self.tol, self.max_iter
        )
        if steps >= self.max_iter:
            warnings.warn(
                f"IRLS-CD stopped after max_iter={self.max_iter} Newton steps before converging",
                ConvergenceWarning,
                stacklevel=2,
            )
        self.coef_, self.intercept_ = weights.T.copy(), intercepts
        self.n_iter_ = np.array([steps])
        return self

    def _start(self, targets: np.ndarray, features: int) -> tuple[np.ndarray, np.ndarray]:
        fitted = getattr(self, "coef_", None)
        if self.warm_start and fitted is not None and fitted.shape == (targets.shape[1], features):
            return fitted.T.copy(), self.intercept_.copy()
        share = np.clip(targets.mean(axis=0), 1e-12, 1 - 1e-12)
        binary = targets.shape[1] == 1
        # The intercept-only optimum: the first Newton step starts at the class frequencies.
        intercepts = np.log(share / (1 - share)) if binary else np.log(share) - np.log(share).mean()
        return np.zeros((features, targets.shape[1])), intercepts

    def decision_function(self, X) -> np.ndarray:
        """Log-odds of ``classes_[1]`` for two classes, one score per class otherwise."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict(self, X) -> np.ndarray:
        scores = self.decision_function(X)
        picks = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[picks]

    def predict_proba(self, X) -> np.ndarray:
        scores = self.decision_function(X)
        if scores.ndim == 1:
            positive = expit(scores)
            return np.column_stack([1 - positive, positive])
        return softmax(scores, axis=1)


def objective(
    X: np.ndarray, targets: np.ndarray, W: np.ndarray, b: np.ndarray, C: float, l1_ratio: float
) -> float:
    """scikit-learn's objective divided by C: the sum of log losses plus penalty / C."""
    scores = X @ W + b
    if targets.shape[1] == 1:
        t, s = targets[:, 0], scores[:, 0]
        loss = -np.sum(t * log_expit(s) + (1 - t) * log_expit(-s))
    else:
        loss = -np.sum(targets * (scores - logsumexp(scores, axis=1, keepdims=True)))
    penalty = l1_ratio * np.abs(W).sum() + (1 - l1_ratio) / 2 * np.square(W).sum()
    return float(loss + penalty / C)


def _fit(
    X: np.ndarray,
    targets: np.ndarray,
    start: tuple[np.ndarray, np.ndarray],
    C: float,
    l1_ratio: float,
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Proximal Newton steps over the class blocks until the objective stops falling."""
    W, b = start
    value = objective(X, targets, W, b, C, l1_ratio)
    # enet_path minimizes 1/(2n)|z - Xw|^2 + alpha * penalty: alpha = 1 / (C n).
    alpha = 1.0 / (C * X.shape[0])
    for step in range(1, max_iter + 1):
        before = value
        for block in range(targets.shape[1]):
            direction = _newton_direction(X, targets, W, b, block, alpha, l1_ratio)
            W, b, value = _line_search(X, targets, W, b, block, direction, value, C, l1_ratio)
        if before - value <= tol * max(abs(value), 1.0):
            return W, b, step
    return W, b, max_iter


def _newton_direction(
    X: np.ndarray,
    targets: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    block: int,
    alpha: float,
    l1_ratio: float,
) -> tuple[np.ndarray, float]:
    """The change of one class block's coefficients and intercept that minimizes the
    quadratic model of the loss plus the penalty (a weighted elastic net)."""
    scores = X @ W + b
    probs = expit(scores) if targets.shape[1] == 1 else softmax(scores, axis=1)
    p = probs[:, block]
    weight = np.clip(p * (1 - p), MIN_WEIGHT, None)
    working = scores[:, block] + (targets[:, block] - p) / weight
    # Centre with the weights, so the unpenalized intercept drops out of the inner problem.
    share = weight / weight.sum()
    x_mean, z_mean = share @ X, share @ working
    root = np.sqrt(weight)
    Xw = root[:, None] * (X - x_mean)
    zw = root * (working - z_mean)
    gram, xy = Xw.T @ Xw, Xw.T @ zw
    # A loose inner solve may stop early; the active-set solve below finishes it.
    with dropped(ConvergenceWarning):
        _, coefs, _ = enet_path(
            Xw,
            zw,
            l1_ratio=l1_ratio,
            alphas=[alpha],
            precompute=gram,
            Xy=xy,
            coef_init=W[:, block].copy(),
            tol=INNER_TOL,
            max_iter=INNER_MAX_ITER,
            check_input=False,
        )
    w = _exact_on_active_set(coefs[:, 0], gram, xy, X.shape[0], alpha, l1_ratio)
    return w - W[:, block], float(z_mean - x_mean @ w) - b[block]


def _exact_on_active_set(
    w: np.ndarray, gram: np.ndarray, xy: np.ndarray, rows: int, alpha: float, l1_ratio: float
) -> np.ndarray:
    """Solve the inner problem exactly for the non-zero pattern coordinate descent found;
    keep the coordinate-descent answer if the pattern is not yet the right one (the
    optimality conditions fail). Coordinate descent alone crawls when alpha is tiny."""
    active = w != 0
    if not active.any():
        return w
    signs = np.sign(w[active])
    system = gram[np.ix_(active, active)] / rows + alpha * (1 - l1_ratio) * np.eye(active.sum())
    try:
        exact = np.linalg.solve(system, xy[active] / rows - alpha * l1_ratio * signs)
    except np.linalg.LinAlgError:
        return w
    if np.any(np.sign(exact) != signs):
        return w
    candidate = np.zeros_like(w)
    candidate[active] = exact
    gradient = (gram @ candidate - xy) / rows
    if np.any(np.abs(gradient[~active]) > alpha * l1_ratio * (1 + 1e-9)):
        return w
    return candidate


def _line_search(
    X: np.ndarray,
    targets: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    block: int,
    direction: tuple[np.ndarray, float],
    value: float,
    C: float,
    l1_ratio: float,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Halve the step until the objective does not rise; no step if none helps."""
    dW, db = direction
    fraction = 1.0
    while fraction >= 1e-10:
        W_new, b_new = W.copy(), b.copy()
        W_new[:, block] += fraction * dW
        b_new[block] += fraction * db
        new_value = objective(X, targets, W_new, b_new, C, l1_ratio)
        if new_value <= value:
            return W_new, b_new, new_value
        fraction /= 2
    return W, b, value
