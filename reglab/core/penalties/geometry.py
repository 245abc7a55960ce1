"""Why L1 is sparse, in the plane of two coefficients.

Fix every other coefficient (and the intercept) at the current fit; what is left is the
partial-residual problem in two unknowns, ``r = y - Z_others w_others - intercept`` against
the two chosen columns ``Z_ij`` of the features the lab's estimator saw (standardized when
``standardize`` is on). Its least-squares loss ``‖r - Z_ij w‖² / (2n)`` is a quadratic bowl
whose level sets are ellipses; the penalized solution is where the smallest ellipse touches
the penalty's ball — the L1 diamond has corners on the axes, so it is often touched at a
corner (one coefficient exactly 0); the L2 circle has none.

The intercept is refitted with every 2-D fit (the scikit-learn estimators centre ``Z_ij``
and ``r``), exactly as the lab's estimator refits it at each alpha; at the current alpha it
comes out 0 and the 2-D solution is the full fit's pair. The 2-D fits use the same n rows,
so scikit-learn's ``1/(2n)`` lasso scaling is the same as the full fit's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import RegressorMixin

from reglab.core.datasets import Dataset
from reglab.core.errors import ParamError
from reglab.core.paths import penalized_path
from reglab.core.penalties.params import PenaltiesParams, parse_pair

# The pair the correlated dataset is built to show: lasso keeps one, ridge splits.
CORRELATED_PAIR = ("med_count", "polypharmacy")
# Contour ellipses drawn besides the one through the solution: these shares of the size of
# the one through the origin (w = 0, where a strong enough penalty ends).
CONTOUR_SHARES = (0.5, 1.0)


def choose_pair(text: str, data: Dataset, coef: np.ndarray) -> tuple[int, int] | None:
    """The two coefficients to draw: the asked pair, else the one the dataset makes
    interesting; ``None`` when the data have fewer than two features."""
    n_features = len(data.feature_names)
    asked = parse_pair(text)
    if asked is not None:
        bad = [index for index in asked if index >= n_features]
        if bad:
            raise ParamError(
                "geometry_features",
                f"feature index {bad[0]} is out of range: these data have {n_features} "
                f"feature{'s' if n_features != 1 else ''} (0..{n_features - 1})",
            )
        return asked
    if n_features < 2:
        return None
    if data.name == "correlated":
        i, j = (data.feature_names.index(name) for name in CORRELATED_PAIR)
        return i, j
    weights = data.true_coef if data.name == "synthetic" and data.true_coef is not None else coef
    largest = np.argsort(-np.abs(weights), kind="stable")[:2]
    i, j = sorted(int(index) for index in largest)
    return i, j


def contours(Z: np.ndarray, r: np.ndarray, solution: np.ndarray) -> dict[str, Any]:
    """The loss ``½ (w - c)ᵀ H (w - c) + min_loss`` of the plane, with levels through the
    solution (``touching``) and at ``CONTOUR_SHARES`` of the way out to the origin."""
    Zc, rc = Z - Z.mean(axis=0), r - r.mean()
    n = len(r)
    hessian = Zc.T @ Zc / n
    # lstsq: a pair of identical or constant columns has no single centre; take the nearest.
    center = np.linalg.lstsq(Zc, rc, rcond=None)[0]
    min_loss = float(np.sum((rc - Zc @ center) ** 2) / (2 * n))

    def loss(w: np.ndarray) -> float:
        return float(np.sum((rc - Zc @ w) ** 2) / (2 * n))

    touching, at_origin = loss(solution), loss(np.zeros(2))
    # The bowl from its centre out to the origin, and the level that touches the ball.
    levels = {min_loss + share**2 * (at_origin - min_loss) for share in CONTOUR_SHARES}
    return {
        "loss": "||r - Z w||^2 / (2n), intercept refitted",
        "center": center.tolist(),
        "hessian": hessian.tolist(),
        "min_loss": min_loss,
        "touching": touching,
        "levels": sorted(levels | {touching}),
    }


def partial_residual(
    Z: np.ndarray, y: np.ndarray, coef: np.ndarray, intercept: float, pair: tuple[int, int]
) -> np.ndarray:
    others = np.ones(Z.shape[1], dtype=bool)
    others[list(pair)] = False
    return y - Z[:, others] @ coef[others] - intercept


def geometry(
    params: PenaltiesParams,
    data: Dataset,
    Z: np.ndarray,
    coef: np.ndarray,
    intercept: float,
    estimator: RegressorMixin,
    alphas: np.ndarray,
) -> dict[str, Any] | None:
    """The plane of two coefficients for the current fit (``None``: fewer than 2 features).

    ``Z`` is what the lab's estimator was fitted on, ``coef``/``intercept`` its fit;
    ``estimator`` an unfitted copy of it (same alpha and l1_ratio) for the 2-D fit.
    """
    model, l1_ratio = params.model, params.l1_ratio
    pair = choose_pair(params.geometry_features, data, coef)
    if pair is None:
        return None
    i, j = pair
    r = partial_residual(Z, data.y, coef, intercept, pair)
    Zij = Z[:, [i, j]]
    solution = estimator.fit(Zij, r).coef_
    path = penalized_path(Zij, r, model, alphas, l1_ratio)
    return {
        "features": [i, j],
        "names": [data.feature_names[i], data.feature_names[j]],
        "contours": contours(Zij, r, solution),
        "radius_l1": float(abs(coef[i]) + abs(coef[j])),
        "radius_l2": float(np.hypot(coef[i], coef[j])),
        "solution": solution.tolist(),
        "path": [
            {"alpha": float(a), "w_i": float(wi), "w_j": float(wj)}
            for a, wi, wj in zip(alphas, path[0], path[1], strict=True)
        ],
    }
