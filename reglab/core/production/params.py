"""Production lab parameters: the bundled series (or a CSV with a time column), its regime
change, and the windows the four checks use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from reglab.core.errors import ParamError
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

SERIES = "series"
CHANGES = ("none", "lag", "noise", "both")
# Settings that shape the bundled series only: a CSV brings its own history.
SERIES_SETTINGS = ("n_steps", "n_features", "change")
# Settings that matter only for a CSV.
CSV_ONLY = ("time", "engineer")


@dataclass(frozen=True)
class ProductionParams(LabParams):
    lab: ClassVar[str] = "production"
    dataset: str = param(
        SERIES,
        "series: a seeded daily series with a regime change; csv: your data (time=COL)",
        choices=(SERIES, "csv"),
    )
    n_steps: int = param(1460, "days in the bundled series", low=400, high=5000, step=100)
    n_features: int = param(
        60,
        "engineered features (lags 1–30, rolling means/stds, calendar), padded with noise",
        low=10,
        high=200,
        step=10,
    )
    change: str = param(
        "both",
        "the regime change: the strongest lag moves 1 → 7, the noise triples, both or none",
        choices=CHANGES,
    )
    change_at: float = param(
        0.75,
        "where the regime changes (share of the rows); the drift check's old window ends here",
        low=0.3,
        high=0.9,
        step=0.05,
    )
    leak: bool = param(False, "add a look-ahead feature: the target's own value plus noise")
    holdout: float = param(
        0.2,
        "the later share of rows held out (the truth every CV is judged by)",
        low=0.1,
        high=0.4,
        step=0.05,
    )
    folds: int = param(5, "CV folds for every splitter", low=2, high=10)
    window: int = param(
        180,
        "rows in each retraining window (stability, leakage check)",
        low=60,
        high=1000,
        step=30,
    )
    step: int = param(45, "rows between the starts of two windows", low=10, high=500, step=15)
    l1_ratio: float = param(
        0.3, "the elastic net's L1 share in the stability view", low=0.05, high=0.95, step=0.05
    )
    keep: int = param(30, "features lasso keeps for the two-stage refit", low=5, high=100, step=5)
    data: str = data_param()
    target: str = target_param()
    time: str = param("", "the CSV's time column: rows are sorted by it (with dataset=csv)")
    engineer: bool = param(
        True, "build lags 1–30 and rolling means/stds of the target (with dataset=csv)"
    )
    drop: str = drop_param()
    encode: str = encode_param()
    seed: int = seed_param()
    backend: str = backend_param()
    workers: Any = workers_param()
    scheduler: str = scheduler_param()

    def relevant(self, name: str) -> bool:
        bundled = self.dataset == SERIES
        if name in SERIES_SETTINGS:
            return bundled
        if name in CSV_ONLY:
            return not bundled
        return super().relevant(name)

    def check(self) -> None:
        super().check()
        if self.dataset == "csv" and not self.time:
            raise ParamError("time", "dataset=csv needs time=COLUMN: the rows' order in time")
        if self.dataset == "csv" and self.time == self.target:
            raise ParamError("time", f"{self.time!r} is the target; name the column of times")
        if self.step > self.window:
            raise ParamError(
                "step",
                f"step {self.step} is longer than window {self.window}: rows between "
                "windows would never be used",
            )
