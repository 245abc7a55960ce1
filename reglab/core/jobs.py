"""The small protocol between a lab computation and whoever runs it (CLI, app, tests).

A lab's ``run(params, progress=None, cancelled=None)`` calls ``progress`` with a
``Progress`` between steps and calls ``check_cancelled`` at the same points, so a job
can be stopped promptly and report how far it got.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reglab.core.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    """How far a job has got. ``partial`` carries an intermediate result for live charts."""

    fraction: float
    message: str = ""
    partial: Any = None


ProgressCallback = Callable[[Progress], None]
CancelledCallback = Callable[[], bool]


def report(
    progress: ProgressCallback | None, fraction: float, message: str = "", partial: Any = None
) -> None:
    """Send a progress update if anyone listens."""
    if progress is not None:
        progress(Progress(min(max(fraction, 0.0), 1.0), message, partial))


def check_cancelled(cancelled: CancelledCallback | None) -> None:
    """Stop the computation (by raising ``Cancelled``) if its job has been cancelled."""
    if cancelled is not None and cancelled():
        raise Cancelled()
