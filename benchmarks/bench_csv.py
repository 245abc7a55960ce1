"""A user's large CSV: 200 000 rows x 50 features, through penalties and lambda, against
``pandas.read_csv`` of the same file alone.

Run: ``.venv/bin/python benchmarks/bench_csv.py`` (about half a minute). Each side runs in a
fresh interpreter, which reports its own wall time and peak resident memory, so the import
cost and the frame are counted the same way on both sides. Goal (issue 11): the lab runs,
and its peak memory stays within 2x that of reading the frame alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROWS, FEATURES = 200_000, 50
MEMORY_GOAL = 2.0

MEASURE = """
import json, resource, sys, time
started = time.perf_counter()
{body}
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak_mb}}))
"""
READ_ONLY = "import pandas as pd\npd.read_csv(sys.argv[1])"
LAB = (
    "from reglab.cli import main\n"
    "assert main(['run', sys.argv[2], '--set', 'data=' + sys.argv[1], '--set', 'target=y',"
    " '--json']) == 0"
)


def write_csv(path: Path, rows: int = ROWS, features: int = FEATURES, label: bool = False) -> None:
    """Gaussian features, ``y`` linear in the first five plus noise; with ``label`` also a
    0/1 column ``label`` (y above its median) for the classification sweeps."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, features))
    y = X[:, :5] @ np.arange(1.0, 6.0) + rng.normal(size=rows)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(features)])
    frame["y"] = y
    if label:
        frame["label"] = (y > np.median(y)).astype(int)
    frame.to_csv(path, index=False)


def measure(body: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE.format(body=body), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        write_csv(path)
        size_mb = path.stat().st_size / 1e6
        print(f"{ROWS} rows x {FEATURES} features, {size_mb:.0f} MB of CSV")
        alone = measure(READ_ONLY, str(path))
        print(f"  pandas.read_csv alone   {alone['seconds']:6.2f} s  {alone['peak_mb']:6.0f} MB")
        for lab in ("penalties", "lambda"):
            run = measure(LAB, str(path), lab)
            ratio = run["peak_mb"] / alone["peak_mb"]
            met = "goal met" if ratio <= MEMORY_GOAL else "GOAL MISSED"
            print(
                f"  reglab run {lab:<12} {run['seconds']:6.2f} s  {run['peak_mb']:6.0f} MB"
                f"  memory {ratio:.2f}x read_csv (goal <= {MEMORY_GOAL:g}x: {met})"
            )


if __name__ == "__main__":
    main()
