"""The labs, in tab order. Importing this module stays light: each lab's computation module
(which imports scikit-learn or torch) is loaded only when the lab runs."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from reglab.core import params as p
from reglab.core.jobs import CancelledCallback, ProgressCallback


@dataclass(frozen=True)
class Lab:
    name: str
    title: str
    summary: str
    params: type[p.LabParams]
    module: str  # reglab.core.<module> defines run(params, progress, cancelled)
    tab: str = ""  # short tab label: all seven tabs fit an 80-column terminal

    def __post_init__(self) -> None:
        if not self.tab:
            object.__setattr__(self, "tab", self.title)

    def run(
        self,
        params: p.LabParams | None = None,
        progress: ProgressCallback | None = None,
        cancelled: CancelledCallback | None = None,
    ) -> Any:
        compute = importlib.import_module(f"reglab.core.{self.module}")
        return compute.run(params or self.params(), progress=progress, cancelled=cancelled)


LABS: dict[str, Lab] = {
    lab.name: lab
    for lab in (
        Lab(
            "overfitting",
            "Overfitting",
            "polynomial degree vs. the ridge cure",
            p.OverfittingParams,
            "overfitting",
            tab="Overfit",
        ),
        Lab(
            "penalties",
            "Penalties",
            "ridge, lasso and elastic net coefficients and paths",
            p.PenaltiesParams,
            "penalties",
        ),
        Lab(
            "classification",
            "Classification",
            "logistic regression with no penalty, L2, L1 or elastic net",
            p.ClassificationParams,
            "classification",
            tab="Classify",
        ),
        Lab(
            "trees",
            "Trees",
            "depth, leaves, forests and boosting as regularization",
            p.TreesParams,
            "trees",
        ),
        Lab(
            "dropout",
            "Dropout",
            "a torch network trained live: dropout, L2/L1, early stopping",
            p.DropoutParams,
            "dropout",
        ),
        Lab(
            "lambda",
            "Lambda",
            "cross-validated alpha: the CV curve, alpha_min and alpha_1se",
            p.LambdaParams,
            "lambda_finder",
        ),
        Lab(
            "bias-variance",
            "Bias-variance",
            "bias², variance and noise measured: the U curve",
            p.BiasVarianceParams,
            "bias_variance",
            tab="Bias-var",
        ),
    )
}


def get_lab(name: str) -> Lab:
    return LABS[name]
