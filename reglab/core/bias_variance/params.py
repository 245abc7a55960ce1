"""Bias-variance lab parameters: model, complexity sweep, rounds and simulation or bootstrap."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from reglab.core.catalog import CSV, REGRESSION_SETS
from reglab.core.errors import ParamError
from reglab.core.spec import (
    AUTO,
    CSV_SETTINGS,
    FLOATS,
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


@dataclass(frozen=True)
class BiasVarianceParams(LabParams):
    lab: ClassVar[str] = "bias-variance"
    model: str = param(
        "ridge",
        "ridge on polynomial features (sweep alpha), tree (sweep max_depth) or knn (sweep k)",
        choices=("ridge", "tree", "knn"),
    )
    degree: Any = param(
        AUTO,
        "polynomial degree for the ridge model (auto = 10 in simulate mode, 1 in bootstrap mode)",
        kind=INT,
        low=1,
        high=20,
        allow_auto=True,
    )
    values: tuple = param(
        (),
        "complexity values to sweep (empty = the model's default sweep; "
        "none = unlimited tree depth)",
        kind=FLOATS,
        low=0,
        allow_none=True,
    )
    rounds: int = param(200, "training sets drawn per complexity value", low=2, high=5000, step=50)
    n_train: int = param(50, "training points per round (simulate mode)", low=5, high=5000, step=10)
    noise: float = param(
        0.3, "noise standard deviation of the simulation", low=0, high=5, step=0.05
    )
    mode: str = param(
        "simulate",
        "simulate (truth known) or bootstrap (mlxtend's scheme)",
        choices=("simulate", "bootstrap"),
    )
    dataset: str = param("diabetes", "data for bootstrap mode", choices=(*REGRESSION_SETS, CSV))
    data: str = data_param()
    target: str = target_param()
    drop: str = drop_param()
    encode: str = encode_param()
    seed: int = seed_param()
    backend: str = backend_param()
    workers: Any = workers_param()
    scheduler: str = scheduler_param()

    def relevant(self, name: str) -> bool:
        bootstrap = self.mode == "bootstrap"
        if name == "degree":
            return self.model == "ridge"
        if name in ("n_train", "noise"):
            return not bootstrap
        if name == "dataset" or name in CSV_SETTINGS:
            return bootstrap and super().relevant(name)
        return super().relevant(name)

    def sweep(self) -> tuple:
        """The values as a tuple; a lone ``none`` (unlimited tree depth) parses as None."""
        return (None,) if self.values is None else self.values

    def effective(self) -> BiasVarianceParams:
        degree = (1 if self.mode == "bootstrap" else 10) if self.degree == AUTO else self.degree
        return dataclasses.replace(self, degree=degree, values=self.sweep())

    def check(self) -> None:
        if self.mode == "bootstrap":
            super().check()
        if self.model == "ridge":
            if any(v is None or v <= 0 for v in self.sweep()):
                raise ParamError("values", "ridge sweeps alpha: every value must be > 0")
            return
        what = "k (neighbours)" if self.model == "knn" else "max_depth"
        for value in self.sweep():
            if value is None and self.model == "tree":
                continue
            if value is None or value < 1 or not float(value).is_integer():
                extra = " or none" if self.model == "tree" else ""
                raise ParamError(
                    "values",
                    f"{self.model} sweeps {what}: every value must be an integer >= 1{extra}",
                )
        if self.model == "knn" and self.mode == "simulate":
            if any(v > self.n_train for v in self.sweep()):
                raise ParamError("values", f"k must be <= n_train ({self.n_train})")
