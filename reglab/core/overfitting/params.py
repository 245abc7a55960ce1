"""Overfitting lab parameters: polynomial degree, ridge alpha, the alpha-0 solver and the
reference data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reglab.core.spec import LabParams, param, seed_param

LSTSQ, EXACT = "lstsq", "exact"


@dataclass(frozen=True)
class OverfittingParams(LabParams):
    lab: ClassVar[str] = "overfitting"
    degree: int = param(14, "polynomial degree of the features", low=1, high=20)
    alpha: float = param(
        0.0,
        "ridge penalty strength (0 = plain least squares; arrows step within the data's range)",
        low=0,
        high=1e12,
        log=True,
        step=0.25,
        floor=1e-4,
    )
    solver: str = param(
        LSTSQ,
        "fit at alpha 0: lstsq (LinearRegression, drops tiny singular values) or exact",
        choices=(LSTSQ, EXACT),
    )
    n_samples: int = param(15, "number of training points", low=5, high=500, step=5)
    noise: float = param(
        0.3, "standard deviation of the noise added to y", low=0, high=5, step=0.05
    )
    seed: int = seed_param()

    def relevant(self, name: str) -> bool:
        if name == "solver":
            # Ridge has one solution; the choice matters only for plain least squares.
            return self.alpha == 0
        return super().relevant(name)
