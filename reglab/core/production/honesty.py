"""CV honesty: the same lasso tuned by three splitters, each judged on a truly later hold-out.

Shuffled K-fold trains on days after the ones it scores and sees each day's neighbours, so
its CV error looks better than the model will do; TimeSeriesSplit only ever predicts
forward, as the model will have to.
"""

from __future__ import annotations

import numpy as np

SPLITTERS = ("shuffled", "kfold", "timeseries")
MAX_ITER = 10_000


def make_splitter(name: str, folds: int, seed: int):
    from sklearn.model_selection import KFold, TimeSeriesSplit

    if name == "shuffled":
        return KFold(folds, shuffle=True, random_state=seed)
    if name == "kfold":
        return KFold(folds)
    return TimeSeriesSplit(folds)


def lasso_cv(X: np.ndarray, y: np.ndarray, alphas: np.ndarray, splitter):
    from sklearn.linear_model import LassoCV

    return LassoCV(alphas=alphas, cv=splitter, max_iter=MAX_ITER).fit(X, y)


def cv_entry(name: str, model, X_hold: np.ndarray, y_hold: np.ndarray) -> dict:
    """One splitter's row: its CV curve (mean and standard error over folds), its alpha_min
    and that alpha's error on the hold-out."""
    scores = model.mse_path_  # alphas x folds, alphas largest first
    folds = scores.shape[1]
    return {
        "splitter": name,
        "alphas": model.alphas_.tolist(),
        "cv_mean": scores.mean(axis=1).tolist(),
        "cv_se": (scores.std(axis=1, ddof=1) / np.sqrt(folds)).tolist(),
        "alpha_min": float(model.alpha_),
        "holdout_mse": float(np.mean((model.predict(X_hold) - y_hold) ** 2)),
    }


def holdout_curve(
    X: np.ndarray, y: np.ndarray, X_hold: np.ndarray, y_hold: np.ndarray, alphas: np.ndarray
) -> list[float]:
    """The hold-out error at every alpha of the grid: one lasso path on all training rows."""
    from sklearn.linear_model import lasso_path

    mean_x, mean_y = X.mean(axis=0), y.mean()
    _, coefs, _ = lasso_path(X - mean_x, y - mean_y, alphas=alphas, max_iter=MAX_ITER)
    predictions = (X_hold - mean_x) @ coefs + mean_y  # rows x alphas
    return np.mean((predictions - y_hold[:, None]) ** 2, axis=0).tolist()
