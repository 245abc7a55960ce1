"""The penalty strengths that matter for a data set: the alpha range, derived from the data.

A fixed [1e-3, 1e3] is flat on real-scale data: with prices in the 100 000s the lasso keeps
every coefficient at alpha = 1000. glmnet derives its lambda grid from the data instead,
and so does reglab, for the alpha control, the penalties path and the lambda grid:

- lasso and elastic net: from ``alpha_max = max|X^T y| / (n * l1_ratio)`` (centred X and y,
  as fitted), the smallest alpha at which every coefficient is 0, down four decades
  (glmnet's lambda.min.ratio 1e-4; two decades when there are fewer rows than features);
- ridge, which never zeroes a coefficient: shrinkage along a direction of X is
  s^2 / (s^2 + alpha) for its singular value s, so from ten times the largest s^2 (every
  coefficient shrunk to a tenth or less) down to a tenth of the smallest s^2 (even the
  weakest direction barely shrunk): at least six decades, at most eleven (ill-conditioned
  features such as high-degree polynomials have tiny directions that alpha still tames).
"""

from __future__ import annotations

import math

import numpy as np

from reglab.core.errors import DataError

L1_DECADES, L1_DECADES_WIDE = 4.0, 2.0
RIDGE_DECADES_ABOVE = 1.0  # above the largest s^2
RIDGE_DECADES_BELOW = 5.0, 10.0  # below the largest s^2: at least, at most
POINTS_PER_DECADE = 10
MIN_L1_RATIO = 1e-3
# The app's arrows stop at the range's ends rounded to six digits: still inside.
SHOWN = 1e-5


def alpha_range(X: np.ndarray, y: np.ndarray, model: str, l1_ratio: float = 1.0) -> tuple:
    """(low, high) alpha for ``model`` (ridge, lasso or elasticnet) on the X it is fit to."""
    Xc = X - X.mean(axis=0)
    if model == "ridge":
        squares = np.linalg.svd(Xc, compute_uv=False) ** 2
        top = float(squares[0])
        if top == 0:
            raise DataError("dataset: every feature is constant; nothing to regularize")
        weakest = float(squares[squares > top * 1e-12][-1]) / 10
        least, most = (top * 10**-decades for decades in RIDGE_DECADES_BELOW)
        return min(max(weakest, most), least), top * 10**RIDGE_DECADES_ABOVE
    # An elastic net near ridge has no finite alpha_max: glmnet takes l1_ratio 0.001 there.
    ratio = 1.0 if model == "lasso" else max(l1_ratio, MIN_L1_RATIO)
    alpha_max = float(np.max(np.abs(Xc.T @ (y - y.mean())))) / (len(y) * ratio)
    if alpha_max == 0:
        raise DataError("dataset: no feature is correlated with the target; alpha_max is 0")
    decades = L1_DECADES if X.shape[0] > X.shape[1] else L1_DECADES_WIDE
    return alpha_max * 10**-decades, alpha_max


def alpha_grid(span: tuple, points: int | None = None) -> np.ndarray:
    """Log-spaced alphas over ``span``, largest first (ten a decade unless ``points``)."""
    low, high = (math.log10(end) for end in span)
    count = points or int(round((high - low) * POINTS_PER_DECADE)) + 1
    return np.logspace(high, low, count)


def outside_note(alpha: float, span: tuple, model: str) -> tuple[str, ...]:
    """A note when ``alpha`` (typed, or stepped from another data set) lies outside the
    data's range: it is accepted, but the user should know what it means."""
    low, high = span
    if low * (1 - SHOWN) <= alpha <= high * (1 + SHOWN):
        return ()
    if alpha > high and model != "ridge":
        return (
            f"alpha={alpha:g} is above {high:.4g}, where this data's {model} sets every "
            "coefficient to 0",
        )
    side = "above" if alpha > high else "below"
    return (f"alpha={alpha:g} lies {side} this data's range [{low:.4g}, {high:.4g}]",)
