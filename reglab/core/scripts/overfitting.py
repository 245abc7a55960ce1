"""The overfitting lab's script: the reference pipeline, its train, test and true MSE."""

from __future__ import annotations

from reglab.core.overfitting.params import EXACT, OverfittingParams
from reglab.core.scripts import footer, header


def render(params: OverfittingParams) -> str:
    p = params.effective()
    if p.alpha != 0:
        regressor, imports = f"Ridge(alpha={p.alpha!r})", "Ridge"
    elif p.solver == EXACT:
        regressor, imports = "MinNormLeastSquares()", "LinearRegression"
    else:
        regressor, imports = "LinearRegression()", "LinearRegression"
    exact = (
        '''

class MinNormLeastSquares(RegressorMixin, BaseEstimator):
    """solver=exact: least squares keeping every singular value (no cut-off)."""

    def fit(self, X, y):
        x_mean, y_mean = X.mean(axis=0), y.mean()
        self.coef_ = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)[0]
        self.intercept_ = float(y_mean - x_mean @ self.coef_)
        return self

    def predict(self, X):
        return X @ self.coef_ + self.intercept_
'''
        if regressor.startswith("MinNorm")
        else ""
    )
    base = "from sklearn.base import BaseEstimator, RegressorMixin\n" if exact else ""
    return (
        header(p)
        + f"""
import numpy as np
{base}from sklearn.linear_model import {imports}
from sklearn.metrics import mean_squared_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
{exact}
# Training points on the line 2x + 1 with noise; 200 fresh test points drawn with seed + 1.
x_train = np.linspace(0, 1, {p.n_samples})
y_train = 2 * x_train + 1 + {p.noise!r} * np.random.RandomState({p.seed}).randn({p.n_samples})
test_rng = np.random.RandomState({p.seed + 1})
x_test = test_rng.uniform(0, 1, 200)
y_test = 2 * x_test + 1 + {p.noise!r} * test_rng.randn(200)
x_grid = np.linspace(0, 1, 200)

model = make_pipeline(PolynomialFeatures({p.degree}), StandardScaler(), {regressor})
model.fit(x_train[:, None], y_train)
coef = model[-1].coef_
"""
        + footer(
            """{
    "train_mse": float(mean_squared_error(y_train, model.predict(x_train[:, None]))),
    "test_mse": float(mean_squared_error(y_test, model.predict(x_test[:, None]))),
    "true_mse": float(mean_squared_error(2 * x_grid + 1, model.predict(x_grid[:, None]))),
    "coef_l2_norm": float(np.linalg.norm(coef)),
}"""
        )
    )
