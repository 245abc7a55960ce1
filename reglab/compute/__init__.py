"""Runs core lab computations off the UI thread: newest parameters win, stale results are
dropped, progress is reported and long jobs can be cancelled."""

from reglab.compute.runner import (
    JobCancelled,
    JobDone,
    JobFailed,
    JobMessage,
    JobProgress,
    LabRunner,
)

__all__ = ["JobCancelled", "JobDone", "JobFailed", "JobMessage", "JobProgress", "LabRunner"]
