"""Trees lab parameters: tree, forest or boosting, each with its own knobs and defaults."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from reglab.core.catalog import CLASSIFICATION_CHOICES
from reglab.core.spec import (
    AUTO,
    INT,
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

MODELS = ("tree", "forest", "boosting")
# Knobs that only some models take; every other knob applies to all three.
MODEL_KNOBS: dict[str, tuple[str, ...]] = {
    "min_samples_split": ("tree",),
    "n_estimators": ("forest", "boosting"),
    "learning_rate": ("boosting",),
    "subsample": ("boosting",),
}
TREE_DEFAULTS: dict[str, dict[str, Any]] = {
    "tree": {"max_depth": 5, "min_samples_leaf": 5, "max_features": "sqrt"},
    "forest": {"max_depth": 10, "min_samples_leaf": 2, "max_features": "sqrt"},
    "boosting": {"max_depth": 3, "min_samples_leaf": 1, "max_features": "all"},
}


@dataclass(frozen=True)
class TreesParams(LabParams):
    lab: ClassVar[str] = "trees"
    model: str = param(
        "tree",
        "decision tree, random forest or gradient boosting",
        choices=MODELS,
    )
    max_depth: Any = param(
        AUTO,
        "deepest split allowed (none = unlimited; auto = reference)",
        kind=INT,
        low=1,
        high=30,
        allow_none=True,
        allow_auto=True,
    )
    min_samples_split: int = param(
        10, "samples a node needs before it may split (tree)", low=2, high=200
    )
    min_samples_leaf: Any = param(
        AUTO,
        "samples every leaf must keep (auto = reference)",
        kind=INT,
        low=1,
        high=100,
        allow_auto=True,
    )
    max_features: str = param(
        AUTO, "features tried per split (auto = reference)", choices=(AUTO, "sqrt", "log2", "all")
    )
    n_estimators: int = param(
        100, "trees in the forest / boosting stages", low=1, high=1000, step=10
    )
    learning_rate: float = param(0.1, "boosting shrinkage", low=1e-3, high=1, log=True, step=0.25)
    subsample: float = param(0.8, "fraction of rows per boosting stage", low=0.1, high=1, step=0.05)
    test_size: float = param(
        0.25, "held-out fraction (stratified split)", low=0.1, high=0.5, step=0.05
    )
    folds: int = param(
        5, "CV folds on the training split (StratifiedKFold, no shuffle)", low=2, high=20
    )
    dataset: str = param("breast_cancer", "classification data set", choices=CLASSIFICATION_CHOICES)
    data: str = data_param()
    target: str = target_param()
    drop: str = drop_param()
    encode: str = encode_param()
    seed: int = seed_param()
    backend: str = backend_param()
    workers: Any = workers_param()
    scheduler: str = scheduler_param()

    def relevant(self, name: str) -> bool:
        if name in MODEL_KNOBS:
            return self.model in MODEL_KNOBS[name]
        return super().relevant(name)

    def effective(self) -> TreesParams:
        reference = TREE_DEFAULTS[self.model]
        resolved = {k: reference[k] for k in reference if getattr(self, k) == AUTO}
        return dataclasses.replace(self, **resolved)
