"""Dropout lab training on CPU against CUDA: epochs/s at 1e4 and 1e5 rows.

The lab's network and training loop (``device=auto`` picks CUDA when torch sees one) on its
synthetic data (100 features, ten classes) made larger, the lab's 60/20/20 split, batch 64.
CPU trains with the lab's thread setting. Where torch sees no GPU the CUDA column says
"skipped: no CUDA" and the CPU figures still print.

Run: ``.venv/bin/python benchmarks/bench_gpu.py`` (about 20 s on 2 cores).
"""

from __future__ import annotations

import time
from dataclasses import replace

import torch

from reglab.core.dropout import compute as dropout
from reglab.core.dropout.params import DropoutParams

EPOCHS = {10_000: 5, 100_000: 2}  # timed epochs per size, after one warm-up epoch
PARAMS = replace(DropoutParams(), patience=0, max_epochs=1000)


def epochs_per_second(rows: int, device: torch.device) -> float:
    split = dropout.split_data(dropout.synthetic_data(PARAMS.seed, rows), PARAMS.seed, device)
    with dropout._torch_session(device):
        training = dropout._Training(PARAMS, split, device, None)
        training.train_epoch(None)  # warm-up: kernels, allocator, first-batch costs
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        started = time.perf_counter()
        for _ in range(EPOCHS[rows]):
            training.train_epoch(None)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return EPOCHS[rows] / (time.perf_counter() - started)


def main() -> None:
    cuda = torch.cuda.is_available()
    name = torch.cuda.get_device_name(0) if cuda else "none"
    print(f"torch {torch.__version__}, CPU threads for training: {dropout.TRAINING_THREADS}")
    print(f"CUDA device: {name}")
    print(f"{'rows':>8} {'CPU epochs/s':>13} {'CUDA epochs/s':>14} {'CUDA/CPU':>9}")
    for rows in EPOCHS:
        cpu = epochs_per_second(rows, torch.device("cpu"))
        if cuda:
            gpu = epochs_per_second(rows, torch.device("cuda"))
            print(f"{rows:>8} {cpu:>13.2f} {gpu:>14.2f} {gpu / cpu:>8.1f}x")
        else:
            print(f"{rows:>8} {cpu:>13.2f} {'skipped: no CUDA':>25}")


if __name__ == "__main__":
    main()
