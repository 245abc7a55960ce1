"""Regularization paths shared by several labs: hand-written where measurably faster than a
loop of scikit-learn fits (the tests check them against ``Ridge``)."""

from __future__ import annotations

import numpy as np


def ridge_path(X: np.ndarray, y: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """Ridge coefficients for every alpha from one SVD (closed form), features x alphas.

    Matches ``Ridge(alpha, fit_intercept=True)``: centring X and y removes the intercept.
    """
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    shrink = s[:, None] / (s[:, None] ** 2 + alphas[None, :])
    return Vt.T @ (shrink * (U.T @ yc)[:, None])
