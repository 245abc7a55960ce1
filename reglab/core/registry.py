"""The one list of labs. Everything else is derived from it: the CLI's commands, the tabs and
their number keys, the help screen, the command palette, ``reglab snapshot``, the README's
lab table and the parametrization of the shared lab tests.

Importing this module stays light: each entry names its computation and its pane by dotted
path, so scikit-learn, torch and textual are loaded only by whoever runs or shows the lab.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from reglab.core.bias_variance.params import BiasVarianceParams
from reglab.core.classification.params import ClassificationParams
from reglab.core.dropout.params import DropoutParams
from reglab.core.jobs import CancelledCallback, ProgressCallback
from reglab.core.lambda_finder.params import LambdaParams
from reglab.core.overfitting.params import OverfittingParams
from reglab.core.penalties.params import PenaltiesParams
from reglab.core.production.params import ProductionParams
from reglab.core.spec import LabParams
from reglab.core.trees.params import TreesParams

if TYPE_CHECKING:  # results import numpy: not before the first paint
    from reglab.core.results import LabResult


class Computation(Protocol):
    def __call__(
        self,
        params: Any,
        progress: ProgressCallback | None = None,
        cancelled: CancelledCallback | None = None,
    ) -> LabResult: ...


@dataclass(frozen=True)
class Lab:
    """One lab: its parameters, its computation (``module:function``) and its tab's pane
    (``module:Class``). The name is the params class's ``lab``."""

    params: type[LabParams]
    title: str
    summary: str
    compute: str
    pane: str
    tab: str = ""  # short tab label: all tabs fit an 80-column terminal

    @property
    def name(self) -> str:
        return self.params.lab

    @property
    def tab_label(self) -> str:
        return self.tab or self.title

    def run(
        self,
        params: LabParams | None = None,
        progress: ProgressCallback | None = None,
        cancelled: CancelledCallback | None = None,
    ) -> Any:
        compute: Computation = load_object(self.compute)
        return compute(params or self.params(), progress=progress, cancelled=cancelled)


def load_object(path: str) -> Any:
    """``"package.module:name"`` -> the object, importing the module on first use."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _lab(params: type[LabParams], title: str, summary: str, package: str, pane: str, **kw: str):
    return Lab(
        params,
        title,
        summary,
        compute=f"reglab.core.{package}.compute:run",
        pane=f"reglab.labs.{package}:{pane}",
        **kw,
    )


# Tab order is this order; number keys follow it.
LABS: dict[str, Lab] = {
    lab.name: lab
    for lab in (
        _lab(
            OverfittingParams,
            "Overfitting",
            "polynomial degree vs. the ridge cure",
            "overfitting",
            "OverfittingPane",
            tab="Overfit",
        ),
        _lab(
            PenaltiesParams,
            "Penalties",
            "ridge, lasso and elastic net coefficients and paths",
            "penalties",
            "PenaltiesPane",
            tab="Penalty",
        ),
        _lab(
            ClassificationParams,
            "Classification",
            "logistic regression with no penalty, L2, L1 or elastic net",
            "classification",
            "ClassificationPane",
            tab="Logit",
        ),
        _lab(
            TreesParams,
            "Trees",
            "depth, leaves, forests and boosting as regularization",
            "trees",
            "TreesPane",
        ),
        _lab(
            DropoutParams,
            "Dropout",
            "a torch network trained live: dropout, L2/L1, early stopping",
            "dropout",
            "DropoutPane",
            tab="Drop",
        ),
        _lab(
            LambdaParams,
            "Lambda",
            "cross-validated alpha: the CV curve, alpha_min and alpha_1se",
            "lambda_finder",
            "LambdaPane",
        ),
        _lab(
            BiasVarianceParams,
            "Bias-variance",
            "bias², variance and noise measured: the U curve",
            "bias_variance",
            "BiasVariancePane",
            tab="Bias-var",
        ),
        _lab(
            ProductionParams,
            "Production",
            "time series: CV honesty, selection stability, leakage and drift",
            "production",
            "ProductionPane",
            tab="Prod",
        ),
    )
}
