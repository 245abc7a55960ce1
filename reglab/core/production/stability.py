"""Selection stability: which features each model keeps as the training window slides.

Lasso picks one of a group of correlated lags and drops the rest, so its pick can jump
from window to window; the elastic net keeps the group; ridge keeps every feature, so its
"selection" is its top k by magnitude, k being what lasso kept in the same window.
"""

from __future__ import annotations

import numpy as np

from reglab.core.production.honesty import MAX_ITER

MODELS = ("lasso", "elasticnet", "ridge")


def windows(n_rows: int, window: int, step: int) -> list[tuple[int, int]]:
    return [(start, start + window) for start in range(0, n_rows - window + 1, step)]


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def consecutive_jaccard(sets: list[set]) -> list[float]:
    return [jaccard(a, b) for a, b in zip(sets, sets[1:], strict=False)]


def selected_in_window(
    X: np.ndarray, y: np.ndarray, alpha: float, l1_ratio: float, ridge_alpha: float
) -> dict[str, list[int]]:
    """Column indices each model keeps on one (standardized) window."""
    from sklearn.linear_model import ElasticNet, Lasso, Ridge

    lasso = Lasso(alpha=alpha, max_iter=MAX_ITER).fit(X, y)
    enet = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, max_iter=MAX_ITER).fit(X, y)
    ridge = Ridge(alpha=ridge_alpha).fit(X, y)
    kept = np.flatnonzero(lasso.coef_)
    top = np.argsort(-np.abs(ridge.coef_), kind="stable")[: max(len(kept), 1)]
    return {
        "lasso": kept.tolist(),
        "elasticnet": np.flatnonzero(enet.coef_).tolist(),
        "ridge": sorted(top.tolist()),
    }
