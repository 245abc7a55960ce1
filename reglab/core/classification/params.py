"""Classification lab parameters: logistic penalty, C, data, CV and grid mode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from reglab.core.catalog import CLASSIFICATION_CHOICES
from reglab.core.spec import (
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
class ClassificationParams(LabParams):
    lab: ClassVar[str] = "classification"
    penalty: str = param(
        "l2", "logistic regression penalty", choices=("none", "l1", "l2", "elasticnet")
    )
    C: float = param(
        1.0,
        "inverse penalty strength (small C = strong penalty)",
        low=1e-4,
        high=1e4,
        log=True,
        step=0.25,
    )
    l1_ratio: float = param(0.5, "elastic net mix: 0 = L2, 1 = L1", low=0, high=1, step=0.05)
    dataset: str = param("breast_cancer", "classification data set", choices=CLASSIFICATION_CHOICES)
    data: str = data_param()
    target: str = target_param()
    drop: str = drop_param()
    encode: str = encode_param()
    standardize: bool = param(True, "scale features inside the CV pipeline")
    folds: int = param(5, "cross-validation folds", low=2, high=20)
    solver: str = param(
        "auto",
        "auto: lbfgs for none/l2, IRLS-CD (converged, fast) for l1/elasticnet; "
        "saga: the reference's solver for l1/elasticnet",
        choices=("auto", "saga"),
    )
    max_iter: int = param(
        1000,
        "solver iteration limit (lbfgs iterations, IRLS-CD Newton steps, saga epochs)",
        low=10,
        high=100_000,
        log=True,
        step=0.5,
    )
    grid: bool = param(False, "grid mode: C x l1_ratio elastic-net search scored by ROC AUC")
    seed: int = seed_param()
    backend: str = backend_param()
    workers: Any = workers_param()
    scheduler: str = scheduler_param()

    def relevant(self, name: str) -> bool:
        if name == "C":
            return self.penalty != "none"
        if name == "solver":
            # Only L1 and elastic net (and grid mode's elastic-net cells) have a choice.
            return self.penalty in ("l1", "elasticnet") or self.grid
        if name == "l1_ratio":
            # Grid mode searches its own l1_ratio values; only elastic net uses this one.
            return self.penalty == "elasticnet"
        return super().relevant(name)


# Reference knob values per tree model; "auto" resolves to these.
