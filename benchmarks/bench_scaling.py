"""Scaling: the penalties lab, the lambda lab and the bias-variance lab's bootstrap mode at
their defaults on a user's CSV of 1e3, 1e4, 1e5 and 1e6 rows x 20 features.

Run: ``.venv/bin/python benchmarks/bench_scaling.py`` (about 1.5 minutes; the first run also
writes the CSVs, ~30 s, and keeps them in the temp folder for the next).

The data: ``make_regression(rows, 20, n_informative=5, noise=10, random_state=0)`` written
once per size to ``$TMPDIR/reglab-bench-scaling/``; the labs read it as a user's CSV
(``data=...``, ``target=y``), the only way their public ``run`` takes one's own data.

Each (lab, size) runs in a fresh interpreter, which first imports the lab and runs it once
on its built-in data (so lazy imports are not counted), then reads the CSV through
``reglab.core.datasets.load`` (cached: the lab's run finds it there) and runs the lab.
Time: wall seconds of the read and of the run. Memory: the kernel's resident high-water
mark (what ``getrusage(RUSAGE_SELF).ru_maxrss`` reports; read as VmHWM and reset between
the phases through ``/proc/self/clear_refs`` where Linux allows it) minus the resident
size after the warm-up. So it counts everything, BLAS buffers and pandas' parser included;
the data the run holds is part of its peak.

Goals, per lab: time grows at most like rows^1.1 (the least-squares slope of log time
against log rows, read + run, over the sizes measured), and the peak at the largest size is
at most 3x the data's size (X as float64 plus y). Smaller sizes are dominated by fixed
costs, so only the largest is judged. A size whose time or memory, extrapolated from the
size below, would pass ``TIME_LIMIT_S`` or a third of the available memory is not run: it
is reported with its projection.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZES = (1_000, 10_000, 100_000, 1_000_000)
FEATURES = 20
SEED = 0
EXPONENT_GOAL = 1.1
MEMORY_GOAL = 3.0
REPEATS_UP_TO = 100_000  # sizes up to this run twice (best time, least memory); 1e6 once
TIME_LIMIT_S = 60.0
FOLDER = Path(tempfile.gettempdir()) / "reglab-bench-scaling"
# name: (lab, settings besides the data): every lab at its defaults
LABS = {
    "penalties": ("penalties", {}),
    "lambda": ("lambda", {}),
    "bias-variance bootstrap": ("bias-variance", {"mode": "bootstrap"}),
}
# A run on the lab's built-in data first, so that lazy imports are not timed.
WARM_UP = {"bias-variance": {"mode": "bootstrap", "rounds": "2"}}
MIB = 1024 * 1024


def csv_for(rows: int) -> Path:
    """The generated data as a CSV, written once (atomically) and then reused."""
    path = FOLDER / f"regression-{rows}x{FEATURES}-seed{SEED}.csv"
    if path.exists():
        return path
    import pandas as pd
    from sklearn.datasets import make_regression

    FOLDER.mkdir(exist_ok=True)
    X, y = make_regression(rows, FEATURES, n_informative=5, noise=10, random_state=SEED)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(FEATURES)])
    frame["y"] = y
    partial = path.with_suffix(".part")
    frame.to_csv(partial, index=False)
    partial.replace(path)
    return path


def data_mb(rows: int) -> float:
    """The data's size in MiB: X as float64 and y."""
    return rows * (FEATURES + 1) * 8 / MIB


# --- in the child interpreter ------------------------------------------------------------


def resident_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the high-water mark) of this process, in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> bool:
    """Start a new high-water mark at the current resident size (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def measure(lab: str, path: str, settings: dict[str, str]) -> dict:
    import gc

    import pandas  # noqa: F401  (the CSV reader's import is not the read's time)

    from reglab.core.datasets import data_key, load
    from reglab.core.registry import LABS as REGISTRY
    from reglab.core.spec import with_values

    entry = REGISTRY[lab]
    entry.run(with_values(entry.params(), WARM_UP.get(lab, {})))
    # Every lab here reads regression data through the common data parameters.
    params: Any = with_values(entry.params(), {**settings, "data": path, "target": "y"})
    gc.collect()
    baseline = resident_mb("VmRSS")
    resets = reset_peak()
    started = time.perf_counter()
    load(data_key(params.effective(), "regression"))
    read_s = time.perf_counter() - started
    read_peak = resident_mb("VmHWM") - baseline
    resets = reset_peak() and resets
    started = time.perf_counter()
    entry.run(params)
    run_s = time.perf_counter() - started
    run_peak = resident_mb("VmHWM") - baseline  # without a reset: the max of both phases
    return {
        "read_s": read_s,
        "run_s": run_s,
        "read_peak_mb": read_peak,
        "run_peak_mb": run_peak,
        "phases_apart": resets,
    }


# --- in the parent ------------------------------------------------------------------------


def run_child(lab: str, path: Path, settings: dict[str, str]) -> dict:
    command = [sys.executable, __file__, "--measure", lab, str(path), json.dumps(settings)]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{lab} on {path.name} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def best_of(lab: str, path: Path, settings: dict[str, str], repeats: int) -> dict:
    """Fastest time and least memory over ``repeats`` fresh interpreters (shared machine)."""
    runs = [run_child(lab, path, settings) for _ in range(repeats)]
    best = {key: min(run[key] for run in runs) for key in runs[0] if key != "phases_apart"}
    best["phases_apart"] = all(run["phases_apart"] for run in runs)
    best["seconds"] = min(run["read_s"] + run["run_s"] for run in runs)
    best["peak_mb"] = min(max(run["read_peak_mb"], run["run_peak_mb"]) for run in runs)
    return best


def slope(rows: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(rows)."""
    xs, ys = [math.log(r) for r in rows], [math.log(max(s, 1e-9)) for s in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return covariance / sum((x - mean_x) ** 2 for x in xs)


def available_mb() -> float:
    with open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return float("inf")


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def projected(previous: dict, factor: float) -> tuple[float, float]:
    """Seconds and MiB at ``factor`` times the rows, growing no faster than linearly."""
    return previous["seconds"] * factor, previous["peak_mb"] * factor


def bench_lab(name: str, lab: str, settings: dict[str, str], paths: dict[int, Path]) -> None:
    print(f"\n{name} (defaults{''.join(f', {k}={v}' for k, v in settings.items())})")
    print("     rows   read s    run s   total s  peak MiB  read/run MiB  x data")
    measured: list[tuple[int, dict]] = []
    memory_limit = available_mb() / 3
    for rows in SIZES:
        if measured:
            seconds, peak = projected(measured[-1][1], rows / measured[-1][0])
            if seconds > TIME_LIMIT_S or peak > memory_limit:
                print(
                    f"  {rows:>7}  not run: projected from {measured[-1][0]} rows ~{seconds:.0f} s,"
                    f" ~{peak / 1024:.1f} GiB ({peak / data_mb(rows):.0f}x data; limits "
                    f"{TIME_LIMIT_S:.0f} s, {memory_limit / 1024:.1f} GiB)"
                )
                break
        result = best_of(lab, paths[rows], settings, 2 if rows <= REPEATS_UP_TO else 1)
        measured.append((rows, result))
        print(
            f"  {rows:>7}  {result['read_s']:7.2f}  {result['run_s']:7.2f}  "
            f"{result['seconds']:8.2f}  {result['peak_mb']:8.1f}  "
            f"{result['read_peak_mb']:5.0f}/{result['run_peak_mb']:<5.0f}  "
            f"{result['peak_mb'] / data_mb(rows):7.1f}x",
            flush=True,
        )
    rows_run = [rows for rows, _ in measured]
    exponent = slope(rows_run, [result["seconds"] for _, result in measured])
    run_alone = slope(rows_run, [result["run_s"] for _, result in measured])
    last_rows, last = measured[-1]
    ratio = last["peak_mb"] / data_mb(last_rows)
    print(
        f"  time exponent (read + run, {len(rows_run)} sizes): {exponent:.2f} "
        f"(run alone {run_alone:.2f}; goal <= {EXPONENT_GOAL}: "
        f"{verdict(exponent <= EXPONENT_GOAL)})"
    )
    print(
        f"  peak memory at {last_rows} rows: {ratio:.2f}x the data's {data_mb(last_rows):.0f} MiB "
        f"(goal <= {MEMORY_GOAL:g}x: {verdict(ratio <= MEMORY_GOAL)})"
    )
    if last_rows != SIZES[-1]:
        print(f"  memory goal at {SIZES[-1]} rows: MISSED (not run, see the projection)")
    if not last["phases_apart"]:
        print("  (peak not reset between the read and the run here: run MiB is the max of both)")


def main() -> None:
    started = time.perf_counter()
    paths = {rows: csv_for(rows) for rows in SIZES}
    written = time.perf_counter() - started
    load = os.getloadavg()[0]
    print(
        f"{FEATURES} features, make_regression(random_state={SEED}) as CSV in {FOLDER} "
        f"({written:.1f} s to find or write); cores: {os.cpu_count()}, load average: {load:.2f}"
    )
    print("peak: resident high-water mark minus the resident size after imports and a warm-up")
    print("run; read/run: the same for each phase (the run's includes the data it holds)")
    for name, (lab, settings) in LABS.items():
        bench_lab(name, lab, settings, paths)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        lab, path, settings = sys.argv[2:5]
        print(json.dumps(measure(lab, path, json.loads(settings))))
    else:
        main()
