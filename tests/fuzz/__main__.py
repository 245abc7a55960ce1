"""``make fuzz``: ``python -m tests.fuzz [--seed N ...] [--keys N] [--lab LAB ...]``.

Prints, per lab and seed, the keys sent, the time, the crashes (with their key sequence)
and the stale results; exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="reglab-fuzz-"))
    # Settings, keymap and error log of the run stay out of the user's directories.
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_STATE_HOME"] = str(home / "state")
    import textual.constants

    textual.constants.TEXTUAL_ANIMATIONS = "none"
    from reglab.core.registry import LABS
    from tests.fuzz.driver import fuzz_lab, guarded_labs

    parser = argparse.ArgumentParser(prog="make fuzz", description=__doc__)
    parser.add_argument("--seed", type=int, action="append", help="seed (repeatable; default 1)")
    parser.add_argument("--keys", type=int, default=2000, help="keys per lab (default 2000)")
    parser.add_argument("--lab", action="append", choices=list(LABS), help="default: every lab")
    parser.add_argument(
        "--shrink", action="store_true", help="cut each crash down to a short key sequence"
    )
    args = parser.parse_args()
    failures = 0
    total_keys = 0
    total_seconds = 0.0
    print(f"{'lab':<16}{'seed':>5}{'keys':>7}{'time':>8}{'checked':>9}{'crashes':>9}{'stale':>7}")
    with guarded_labs():
        for seed in args.seed or [1]:
            for lab in args.lab or list(LABS):
                report = asyncio.run(fuzz_lab(lab, seed, args.keys, home / "exports", args.shrink))
                total_keys += report.keys_sent
                total_seconds += report.seconds
                failures += len(report.crashes) + len(report.stale)
                print(
                    f"{lab:<16}{seed:>5}{report.keys_sent:>7}{report.seconds:>7.0f}s"
                    f"{len(report.checked):>9}{len(report.crashes):>9}{len(report.stale):>7}",
                    flush=True,
                )
                for problem in (*report.crashes, *report.stale):
                    print(f"  {problem}", flush=True)
    print(f"total: {total_keys} keys in {total_seconds:.0f} s, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
