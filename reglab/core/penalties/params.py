"""Penalties lab parameters: ridge, lasso or elastic net, strength and data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reglab.core.catalog import REGRESSION_CHOICES
from reglab.core.errors import ParamError
from reglab.core.spec import (
    LabParams,
    data_param,
    drop_param,
    encode_param,
    param,
    seed_param,
    target_param,
)


@dataclass(frozen=True)
class PenaltiesParams(LabParams):
    lab: ClassVar[str] = "penalties"
    model: str = param(
        "lasso",
        "which penalty: ridge (L2), lasso (L1) or elasticnet (both)",
        choices=("ridge", "lasso", "elasticnet"),
    )
    # Hard limits only: the arrow keys step within the data's own range (result.ranges).
    alpha: float = param(
        1.0,
        "penalty strength (arrows step within the data's range, alpha_max down 4 decades)",
        low=1e-10,
        high=1e20,
        log=True,
        step=0.25,
    )
    l1_ratio: float = param(0.5, "elastic net mix: 0 = ridge, 1 = lasso", low=0, high=1, step=0.05)
    dataset: str = param(
        "synthetic",
        "data: make_regression reference, correlated pair, diabetes, or csv",
        choices=REGRESSION_CHOICES,
    )
    data: str = data_param()
    target: str = target_param()
    drop: str = drop_param()
    encode: str = encode_param()
    standardize: bool = param(False, "scale features to unit variance before fitting")
    folds: int = param(5, "folds for cross-validated MSE (KFold, no shuffle)", low=2, high=20)
    geometry_features: str = param(
        "",
        "geometry view (v): two feature indices i,j to draw; empty = the pair the data make "
        "interesting",
    )
    seed: int = seed_param()

    def check(self) -> None:
        super().check()
        parse_pair(self.geometry_features)

    def relevant(self, name: str) -> bool:
        if name == "l1_ratio":
            return self.model == "elasticnet"
        return super().relevant(name)


def parse_pair(text: str) -> tuple[int, int] | None:
    """``"i,j"`` as two distinct non-negative indices; ``None`` for empty (auto)."""
    if not text.strip():
        return None
    problem = f"expected two distinct feature indices i,j such as 0,1 (got {text!r})"
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(part.isascii() and part.isdigit() for part in parts):
        raise ParamError("geometry_features", problem)
    i, j = int(parts[0]), int(parts[1])
    if i == j:
        raise ParamError("geometry_features", problem)
    return i, j
