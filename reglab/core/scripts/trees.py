"""The trees lab's script: the model's test and CV accuracy, its depth and leaves."""

from __future__ import annotations

from reglab.core.scripts import data_code, footer, header
from reglab.core.trees.compute import knobs_for
from reglab.core.trees.params import TreesParams


def render(params: TreesParams) -> str:
    p = params.effective()
    kwargs = dict(knobs_for(p).kwargs)  # the lab's own constructor arguments
    arguments = ", ".join(f"{k}={v!r}" for k, v in sorted(kwargs.items()))
    cls = {
        "tree": "DecisionTreeClassifier",
        "forest": "RandomForestClassifier",
        "boosting": "GradientBoostingClassifier",
    }[p.model]
    trees = {
        "tree": "[model]",
        "forest": "list(model.estimators_)",
        "boosting": "list(model.estimators_.ravel())",
    }[p.model]
    leaves = "int(model.get_n_leaves())" if p.model == "tree" else "None"
    return (
        header(p)
        + f"""
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.tree import DecisionTreeClassifier

{data_code(p, "classification")}
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size={p.test_size!r}, stratify=y, random_state={p.seed}
)
model = {cls}({arguments}, random_state={p.seed})
model.fit(X_train, y_train)
# Cross-validation on the training rows only: the test rows stay unseen.
scores = cross_val_score(model, X_train, y_train, cv=StratifiedKFold({p.folds}))
"""
        + footer(
            f"""{{
    "test_accuracy": float(model.score(X_test, y_test)),
    "cv_accuracy_mean": float(np.mean(scores)),
    "depth": max(tree.get_depth() for tree in {trees}),
    "n_leaves": {leaves},
}}"""
        )
    )
