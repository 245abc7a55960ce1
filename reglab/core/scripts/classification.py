"""The classification lab's script: logistic regression's CV accuracy and non-zero count."""

from __future__ import annotations

from reglab.core.classification.params import ClassificationParams
from reglab.core.scripts import data_code, footer, header, refuse, scaled


def render(params: ClassificationParams) -> str:
    p = params.effective()
    sparse = p.penalty in ("l1", "elasticnet")
    refuse(
        sparse and p.solver != "saga",
        f"penalty={p.penalty} with solver=auto: the lab fits it by IRLS, which scikit-learn "
        "has no call for; --set solver=saga scripts scikit-learn's saga",
    )
    refuse(p.grid, "grid mode")
    C = "np.inf" if p.penalty == "none" else repr(p.C)
    l1_ratio = {"none": 0.0, "l2": 0.0, "l1": 1.0}.get(p.penalty, p.l1_ratio)
    solver = "saga" if sparse else "lbfgs"
    model = (
        f"LogisticRegression(C={C}, l1_ratio={l1_ratio!r}, solver={solver!r}, "
        f"max_iter={p.max_iter}, random_state={p.seed})"
    )
    estimator = scaled(model, p.standardize)
    return (
        header(p)
        + f"""
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

{data_code(p, "classification")}
model = {estimator}
scores = cross_val_score(model, X, y, cv=StratifiedKFold({p.folds}), scoring="accuracy")
model.fit(X, y)
coef = model[-1].coef_ if hasattr(model, "steps") else model.coef_
"""
        + footer(
            """{
    "cv_accuracy_mean": float(np.mean(scores)),
    "cv_accuracy_std": float(np.std(scores)),
    "n_nonzero": int(np.count_nonzero(coef)),
}"""
        )
    )
