"""The one list of labs. Everything else is derived from it: the CLI's commands, the tabs and
their number keys, the help screen, the command palette, ``reglab snapshot``, the README's
lab table and the parametrization of the shared lab tests.

Importing this module stays light: each entry names its parameters, its computation and its
pane by dotted path, so scikit-learn, torch and textual are loaded only by whoever runs or
shows the lab, and a params class when first asked for (building the eight dataclasses cost
7 ms before the app's first paint).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from reglab.core.jobs import CancelledCallback, ProgressCallback

if TYPE_CHECKING:  # results import numpy: not before the first paint
    from reglab.core.results import LabResult
    from reglab.core.spec import LabParams


class Computation(Protocol):
    def __call__(
        self,
        params: Any,
        progress: ProgressCallback | None = None,
        cancelled: CancelledCallback | None = None,
    ) -> LabResult: ...


@dataclass(frozen=True)
class Lab:
    """One lab: its name, its parameters (``module:Class``), its computation
    (``module:function``) and its tab's pane (``module:Class``). The name is also the params
    class's ``lab`` (tests/unit/test_lab_contract.py checks they agree)."""

    name: str
    params_class: str
    title: str
    summary: str
    compute: str
    pane: str
    tab: str = ""  # short tab label: all tabs fit an 80-column terminal
    # The numbers that sum a result up (dotted paths into its JSON): what a pin's diff table,
    # a headless replay and a generated script show.
    key_numbers: tuple[str, ...] = ()
    # ``module:function`` writing the lab's standalone script (``reglab script``); "" for none.
    script: str = ""

    @cached_property
    def params(self) -> type[LabParams]:
        """The lab's parameters dataclass, imported on first use."""
        cls: type[LabParams] = load_object(self.params_class)
        return cls

    @property
    def tab_label(self) -> str:
        return self.tab or self.title

    def key_values(self, payload: dict[str, Any]) -> dict[str, Any]:
        """``key_numbers`` read from a result's JSON: {path: value}."""
        values = {}
        for path in self.key_numbers:
            value: Any = payload
            for part in path.split("."):
                value = value[part]
            values[path] = value
        return values

    def script_text(self, params: LabParams | None = None) -> str:
        """A standalone script reproducing this lab's result (``reglab.core.scripts``)."""
        if not self.script:
            from reglab.core.scripts import NoScript

            raise NoScript(f"no standalone script for the {self.name} lab")
        render = load_object(self.script)
        return render(params or self.params())

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


def _lab(name: str, params: str, title: str, summary: str, package: str, pane: str, **kw: Any):
    return Lab(
        name,
        f"reglab.core.{package}.params:{params}",
        title,
        summary,
        compute=f"reglab.core.{package}.compute:run",
        pane=f"reglab.labs.{package}:{pane}",
        script=f"reglab.core.scripts.{package}:render",
        **kw,
    )


# Tab order is this order; number keys follow it.
LABS: dict[str, Lab] = {
    lab.name: lab
    for lab in (
        _lab(
            "overfitting",
            "OverfittingParams",
            "Overfitting",
            "polynomial degree vs. the ridge cure",
            "overfitting",
            "OverfittingPane",
            tab="Overfit",
            key_numbers=("train_mse", "test_mse", "true_mse", "coef_l2_norm"),
        ),
        _lab(
            "penalties",
            "PenaltiesParams",
            "Penalties",
            "ridge, lasso and elastic net coefficients and paths",
            "penalties",
            "PenaltiesPane",
            tab="Penalty",
            key_numbers=("n_nonzero", "cv_mse", "train_mse"),
        ),
        _lab(
            "classification",
            "ClassificationParams",
            "Classification",
            "logistic regression with no penalty, L2, L1 or elastic net",
            "classification",
            "ClassificationPane",
            tab="Logit",
            key_numbers=("cv_accuracy_mean", "cv_accuracy_std", "n_nonzero"),
        ),
        _lab(
            "trees",
            "TreesParams",
            "Trees",
            "depth, leaves, forests and boosting as regularization",
            "trees",
            "TreesPane",
            key_numbers=("test_accuracy", "cv_accuracy_mean", "depth", "n_leaves"),
        ),
        _lab(
            "dropout",
            "DropoutParams",
            "Dropout",
            "a torch network trained live: dropout, L2/L1, early stopping",
            "dropout",
            "DropoutPane",
            tab="Drop",
            key_numbers=("test_accuracy", "best_epoch", "best_val_loss"),
        ),
        _lab(
            "lambda",
            "LambdaParams",
            "Lambda",
            "cross-validated alpha: the CV curve, alpha_min and alpha_1se",
            "lambda_finder",
            "LambdaPane",
            key_numbers=("alpha_min", "alpha_1se", "n_nonzero_min", "n_nonzero_1se", "score_min"),
        ),
        _lab(
            "bias-variance",
            "BiasVarianceParams",
            "Bias-variance",
            "bias², variance and noise measured: the U curve",
            "bias_variance",
            "BiasVariancePane",
            tab="Bias-var",
            key_numbers=("best.value", "best.bias2", "best.variance", "best.expected_mse"),
        ),
        _lab(
            "production",
            "ProductionParams",
            "Production",
            "time series: CV honesty, selection stability, leakage and drift",
            "production",
            "ProductionPane",
            tab="Prod",
            key_numbers=(
                "two_stage.holdout_mse",
                "leakage.ratio",
                "stability.mean_jaccard.lasso",
                "drift.rank_spearman",
            ),
        ),
    )
}
