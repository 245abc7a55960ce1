"""Dropout lab parameters: the network's regularizers, training and data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reglab.core.spec import (
    LabParams,
    data_param,
    drop_param,
    encode_param,
    param,
    seed_param,
    target_param,
)

# Knobs a running training takes without a restart (TrainingControls, the app's keys).
LIVE_KNOBS = ("weight_decay", "l1", "optimizer")


@dataclass(frozen=True)
class DropoutParams(LabParams):
    lab: ClassVar[str] = "dropout"
    dropout: float = param(
        0.3, "dropout probability after each hidden layer", low=0, high=0.9, step=0.05
    )
    weight_decay: float = param(
        0.0, "L2 penalty (weight decay)", low=0, high=1, log=True, step=0.5, floor=1e-6
    )
    l1: float = param(
        0.0,
        "L1 penalty on weights, added to the loss",
        low=0,
        high=0.1,
        log=True,
        step=0.5,
        floor=1e-7,
    )
    optimizer: str = param(
        "adam", "adam: L2 in the gradient; adamw: decoupled weight decay", choices=("adam", "adamw")
    )
    lr: float = param(1e-3, "Adam learning rate", low=1e-5, high=1.0, log=True, step=0.25)
    batch_size: int = param(64, "mini-batch size", low=8, high=1024, step=8)
    max_epochs: int = param(200, "epochs at most", low=1, high=2000, step=10)
    patience: int = param(10, "early-stopping patience in epochs (0 = off)", low=0, high=200)
    augment_noise: float = param(
        0.0, "std of Gaussian noise added to each training batch", low=0, high=1, step=0.01
    )
    dataset: str = param(
        "synthetic",
        "synthetic (3000 rows), reference (the SPEC's 1500 rows), digits, or csv",
        choices=("synthetic", "reference", "digits", "csv"),
    )
    data: str = data_param()
    target: str = target_param()
    drop: str = drop_param()
    encode: str = encode_param()
    device: str = param(
        "auto", "where to train: auto uses CUDA when available", choices=("auto", "cpu", "cuda")
    )
    seed: int = seed_param()
