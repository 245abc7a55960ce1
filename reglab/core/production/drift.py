"""Drift: an old window against the recent one, feature by feature (KS test and population
stability index) and model by model (RidgeCV's alpha, the old alpha's CV error on recent
data, the coefficient ranking), summed up in one diagnosis."""

from __future__ import annotations

import numpy as np

PSI_BINS = 10
PSI_MODERATE, PSI_MAJOR = 0.1, 0.25  # the usual reading: < 0.1 stable, > 0.25 shifted
PSI_FLOOR = 1e-4  # an empty bin's share: keeps the logarithm finite
DRIFT_SHARE = 0.2  # "the world moved" once this share of the features shifted (PSI major)
ALPHA_MOVED = 10.0  # "recalibrate": the best alpha moved by this factor or more
DEGRADED = 1.3  # the old model's error on recent data against the retrained CV error


def psi(old: np.ndarray, new: np.ndarray, bins: int = PSI_BINS) -> float:
    """Population stability index of ``new`` against ``old`` on the old values' quantile
    bins: sum over bins of (new share - old share) * ln(new share / old share)."""
    inner = np.unique(np.quantile(old, np.linspace(0, 1, bins + 1)[1:-1]))
    shares = [
        np.bincount(np.searchsorted(inner, values, side="right"), minlength=len(inner) + 1)
        / len(values)
        for values in (old, new)
    ]
    old_share, new_share = (np.clip(s, PSI_FLOOR, None) for s in shares)
    return float(np.sum((new_share - old_share) * np.log(new_share / old_share)))


def psi_level(value: float) -> str:
    return "major" if value >= PSI_MAJOR else "moderate" if value >= PSI_MODERATE else ""


def feature_drift(old: np.ndarray, new: np.ndarray, names: tuple[str, ...]) -> list[dict]:
    """KS statistic, its p-value and PSI per feature, the most shifted first."""
    from scipy.stats import ks_2samp

    rows = []
    for column, name in enumerate(names):
        test = ks_2samp(old[:, column], new[:, column], method="asymp")
        value = psi(old[:, column], new[:, column])
        rows.append(
            {
                "name": name,
                "ks": float(test.statistic),
                "ks_p": float(test.pvalue),
                "psi": value,
                "level": psi_level(value),
            }
        )
    return sorted(rows, key=lambda row: -row["psi"])


def ridge_cv(X: np.ndarray, y: np.ndarray, alphas: np.ndarray, splitter):
    """``RidgeCV(alphas, cv=splitter, scoring="neg_mean_squared_error")``'s choice, from one
    SVD per fold that serves every alpha at once (RidgeCV refits each alpha on each fold
    through GridSearchCV: 4.6 of this lab's 6 s). Returns (alpha, its mean CV MSE, the
    ridge refitted on all rows); the first alpha wins a tie, as in GridSearchCV."""
    from sklearn.linear_model import Ridge

    alphas = np.asarray(alphas, dtype=float)
    errors = np.zeros(len(alphas))
    folds = list(splitter.split(X))
    for train, test in folds:
        mean_x, mean_y = X[train].mean(axis=0), y[train].mean()
        u, s, vt = np.linalg.svd(X[train] - mean_x, full_matrices=False)
        rotated = u.T @ (y[train] - mean_y)  # y in the singular directions
        shrink = s / (s**2 + alphas[:, None])  # alphas x directions
        coefs = (shrink * rotated) @ vt  # alphas x features
        predictions = (X[test] - mean_x) @ coefs.T + mean_y  # rows x alphas
        errors += np.mean((predictions - y[test][:, None]) ** 2, axis=0)
    errors /= len(folds)
    best = int(np.argmin(errors))
    return float(alphas[best]), float(errors[best]), Ridge(alpha=alphas[best]).fit(X, y)


def cv_mse(X: np.ndarray, y: np.ndarray, alpha: float, splitter) -> float:
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import cross_val_score

    scores = cross_val_score(
        Ridge(alpha=alpha), X, y, cv=splitter, scoring="neg_mean_squared_error"
    )
    return float(-scores.mean())


def diagnose(features: list[dict], alpha_old: float, alpha_new: float, degradation: float) -> str:
    """The reference's reading, in order: drifted features first; then an old model that
    fails on recent data although its inputs did not move (the relationships changed);
    then a moved alpha; with none of them the model still fits and the fault is
    downstream. ``degradation`` is the old model's error on recent data over the
    retrained model's CV error there."""
    shifted = sum(row["psi"] >= PSI_MAJOR for row in features)
    if shifted >= DRIFT_SHARE * len(features):
        return (
            f"the world moved: {shifted} of {len(features)} features drifted "
            f"(PSI ≥ {PSI_MAJOR:g}); retrain on recent data"
        )
    if degradation >= DEGRADED:
        return (
            f"the relationships moved: the old model's error on recent data is "
            f"×{degradation:.2f} a retrained one's, with little drift; retrain, λ can stay"
        )
    moved = max(alpha_new / alpha_old, alpha_old / alpha_new)
    if moved >= ALPHA_MOVED:
        return (
            f"recalibrate λ: the best alpha moved ×{moved:.3g} with little drift; "
            "the signal-to-noise ratio changed"
        )
    return (
        "the model still fits: little drift, the old model and λ still hold on recent "
        "data; look at the serving pipeline"
    )
