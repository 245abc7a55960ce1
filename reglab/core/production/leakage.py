"""The leakage check: with many noisy features an honest model needs its penalty, so an
unregularized fit that does almost as well as the tuned one on later data is suspect: some
feature carries the answer. Both are fitted on the last window before the hold-out."""

from __future__ import annotations

import numpy as np

from reglab.core.production.honesty import lasso_cv

# Flag when the unregularized model keeps this share of the regularized one's test R².
LEAK_RATIO = 0.98


def fit_pair(
    X: np.ndarray, y: np.ndarray, X_test: np.ndarray, y_test: np.ndarray, alphas, splitter
) -> dict:
    """Test error and R² of OLS and of the lasso at its CV alpha_min, and the lasso's
    coefficients (standardized features: comparable weights)."""
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import mean_squared_error, r2_score

    ols = LinearRegression().fit(X, y)
    lasso = lasso_cv(X, y, alphas, splitter)
    ols_pred, lasso_pred = ols.predict(X_test), lasso.predict(X_test)
    return {
        "unregularized_mse": float(mean_squared_error(y_test, ols_pred)),
        "regularized_mse": float(mean_squared_error(y_test, lasso_pred)),
        "unregularized_r2": float(r2_score(y_test, ols_pred)),
        "regularized_r2": float(r2_score(y_test, lasso_pred)),
        "alpha_min": float(lasso.alpha_),
        "coef": lasso.coef_,
    }


def skill_ratio(pair: dict) -> float:
    """The unregularized model's test R² as a share of the regularized one's (NaN when the
    regularized model has no skill to share)."""
    regularized = pair["regularized_r2"]
    return pair["unregularized_r2"] / regularized if regularized > 0 else float("nan")


def top_weight(coef: np.ndarray, names: tuple[str, ...]) -> tuple[str, float]:
    """The feature with the largest |coefficient| and its share of the total."""
    magnitude = np.abs(coef)
    total = float(magnitude.sum())
    best = int(np.argmax(magnitude))
    return names[best], float(magnitude[best] / total) if total else 0.0
