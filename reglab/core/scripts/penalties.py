"""The penalties lab's script: the model on all rows, its non-zero count, train and CV MSE."""

from __future__ import annotations

from reglab.core.penalties.params import PenaltiesParams
from reglab.core.scripts import data_code, footer, header, scaled


def render(params: PenaltiesParams) -> str:
    p = params.effective()
    model = {
        "ridge": f"Ridge(alpha={p.alpha!r})",
        "lasso": f"Lasso(alpha={p.alpha!r})",
        "elasticnet": f"ElasticNet(alpha={p.alpha!r}, l1_ratio={p.l1_ratio!r})",
    }[p.model]
    estimator = scaled(model, p.standardize)
    return (
        header(p)
        + f"""
import numpy as np
from sklearn.linear_model import ElasticNet, Lasso, Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

{data_code(p, "regression")}
model = {estimator}
model.fit(X, y)
coef = model[-1].coef_ if hasattr(model, "steps") else model.coef_
scores = -cross_val_score(model, X, y, cv=KFold({p.folds}), scoring="neg_mean_squared_error")
"""
        + footer(
            """{
    "n_nonzero": int(np.count_nonzero(coef)),
    "cv_mse": float(scores.mean()),
    "train_mse": float(mean_squared_error(y, model.predict(X))),
}"""
        )
    )
