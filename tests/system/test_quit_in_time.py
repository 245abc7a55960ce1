"""Quitting mid-job: the real app, as a subprocess under a pseudo-terminal, exits at once.

Each scenario starts a job that runs for a minute or more (``reglab app LAB --set ...``),
waits until the status line says it is computing, then presses q or ctrl+c. The app must
end well before its job would, and leave no process behind. Before jobs ran in daemon
threads, the L1 curve held the exit for 4-5 s; how fast the exit is (goal 1 s) is measured
by ``benchmarks/bench_quit.py``, not asserted here.
"""

from __future__ import annotations

import os

import pytest

from benchmarks.pty_app import LONG_JOBS, QUIT_KEYS, kill, quit_during_job

# A hang guard far shorter than any of the jobs (51 s to minutes on a quiet machine), so
# an app that waited for its job to finish fails.
GUARD_S = 15


@pytest.mark.parametrize("key", list(QUIT_KEYS))
@pytest.mark.parametrize("scenario", list(LONG_JOBS))
def test_quit_during_a_job_ends_the_app_and_its_job(scenario: str, key: str) -> None:
    lab, *settings = LONG_JOBS[scenario]
    seconds, pid = quit_during_job(lab, settings, QUIT_KEYS[key], timeout=GUARD_S)
    try:
        assert seconds is not None, f"the app was still running {GUARD_S} s after {key}"
        # No child process is left in the app's session (pty.fork made it the leader).
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)
    finally:
        kill(pid)
