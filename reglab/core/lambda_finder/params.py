"""Lambda lab parameters: the model, its alpha grid, the folds and the data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from reglab.core.catalog import (
    CLASSIFICATION_CHOICES,
    CLASSIFICATION_SETS,
    REGRESSION_CHOICES,
    REGRESSION_SETS,
    SYNTHETIC_REGRESSION,
)
from reglab.core.errors import ParamError
from reglab.core.spec import (
    AUTO,
    BOOL,
    FLOAT,
    FLOATS,
    LabParams,
    backend_param,
    data_param,
    drop_param,
    encode_param,
    param,
    scheduler_param,
    seed_param,
    target_param,
    workers_param,
)


@dataclass(frozen=True)
class LambdaParams(LabParams):
    lab: ClassVar[str] = "lambda"
    model: str = param(
        "lasso",
        "model whose penalty strength is searched (logistic: alpha = 1/C)",
        choices=("ridge", "lasso", "elasticnet", "logistic"),
    )
    alphas: tuple = param(
        (), "alpha grid (empty = 50 log-spaced values fitted to the data)", kind=FLOATS, low=0
    )
    l1_ratio: Any = param(
        AUTO,
        "L1 share of the penalty for elasticnet and logistic (auto = "
        "0.5 for elasticnet, 0 = L2 for logistic; ridge is 0, lasso 1)",
        kind=FLOAT,
        low=0,
        high=1,
        step=0.05,
        allow_auto=True,
    )
    folds: int = param(5, "cross-validation folds", low=2, high=20)
    splitter: str = param(
        AUTO,
        "how folds are cut (auto = kfold, stratified for logistic)",
        choices=(AUTO, "kfold", "timeseries", "stratified"),
    )
    standardize: Any = param(
        AUTO,
        "scale features inside each training fold (auto = only for logistic)",
        kind=BOOL,
        allow_auto=True,
    )
    dataset: str = param(
        AUTO,
        "data (auto = penalties reference data, breast_cancer for logistic)",
        choices=(AUTO, *SYNTHETIC_REGRESSION, *REGRESSION_SETS, *CLASSIFICATION_CHOICES),
    )
    data: str = data_param()
    target: str = target_param()
    drop: str = drop_param()
    encode: str = encode_param()
    seed: int = seed_param()
    backend: str = backend_param()
    workers: Any = workers_param()
    scheduler: str = scheduler_param()

    def relevant(self, name: str) -> bool:
        if name == "l1_ratio":
            return self.model in ("elasticnet", "logistic")
        return super().relevant(name)

    def effective(self) -> LambdaParams:
        logistic = self.model == "logistic"
        l1_ratio = {"ridge": 0.0, "lasso": 1.0}.get(self.model, self.l1_ratio)
        if l1_ratio == AUTO:
            l1_ratio = 0.0 if logistic else 0.5
        resolved: dict[str, Any] = {
            "l1_ratio": float(l1_ratio),
            "splitter": ("stratified" if logistic else "kfold")
            if self.splitter == AUTO
            else self.splitter,
            "standardize": logistic if self.standardize == AUTO else self.standardize,
            "dataset": ("breast_cancer" if logistic else "synthetic")
            if self.dataset == AUTO
            else self.dataset,
        }
        return dataclasses.replace(self, **resolved)

    def check(self) -> None:
        super().check()
        logistic = self.model == "logistic"
        if self.splitter == "stratified" and not logistic:
            raise ParamError("splitter", "stratified folds need model=logistic")
        if any(alpha <= 0 for alpha in self.alphas):
            raise ParamError("alphas", "every alpha must be > 0 (the curve has a log-alpha axis)")
        if self.model == "elasticnet" and self.l1_ratio == 0:
            raise ParamError(
                "l1_ratio", "elasticnet needs l1_ratio > 0; use model=ridge for a pure L2 penalty"
            )
        if logistic and self.dataset in (*SYNTHETIC_REGRESSION, *REGRESSION_SETS):
            raise ParamError(
                "dataset",
                f"{self.dataset} is a regression set; model=logistic "
                f"needs {', '.join(CLASSIFICATION_CHOICES)}",
            )
        if not logistic and self.dataset in CLASSIFICATION_SETS:
            raise ParamError(
                "dataset",
                f"{self.dataset} is a classification set; "
                f"model={self.model} needs {', '.join(REGRESSION_CHOICES)}",
            )
