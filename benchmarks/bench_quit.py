"""Quit during a long job: seconds from q or ctrl+c to the app's exit (goal <= 1 s).

The real app runs under a pseudo-terminal (``benchmarks/pty_app.py``), in both load
conditions. ``tests/system/test_quit_in_time.py`` checks the behaviour, without timing.
"""

from __future__ import annotations

from benchmarks.load import CONDITIONS, condition
from benchmarks.pty_app import LONG_JOBS, QUIT_KEYS, kill, quit_during_job

GOAL_S = 1.0


def main() -> None:
    for name in CONDITIONS:
        with condition(name):
            for scenario, (lab, *settings) in LONG_JOBS.items():
                for key, keystroke in QUIT_KEYS.items():
                    seconds, pid = quit_during_job(lab, settings, keystroke, timeout=30)
                    kill(pid)
                    shown = "did not exit in 30 s" if seconds is None else f"{seconds:.2f} s"
                    met = seconds is not None and seconds <= GOAL_S
                    print(
                        f"[{name}] quit, {scenario}, {key}: {shown} (goal <= {GOAL_S:.0f} s) "
                        f"{'met' if met else 'MISSED'}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
