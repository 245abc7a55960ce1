"""``make bench``: run every benchmarks/bench_*.py in turn, each in a fresh interpreter.

Each script measures its comparisons side by side within its own run and prints ratios.
``python -m benchmarks ui dropout`` runs only the scripts whose names contain those words.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main(filters: list[str]) -> int:
    scripts = sorted(Path(__file__).parent.glob("bench_*.py"))
    chosen = [s for s in scripts if not filters or any(f in s.stem for f in filters)]
    failed = []
    for script in chosen:
        print(f"\n### {script.stem}", flush=True)
        module = f"benchmarks.{script.stem}"  # as a module: ``benchmarks.load`` imports
        if subprocess.run([sys.executable, "-m", module], cwd=script.parent.parent).returncode:
            failed.append(script.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
