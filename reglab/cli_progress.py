"""``reglab run``'s progress bar: on stderr, only when stderr is a terminal, and only once a
job has run for ``DELAY_SECONDS``, so a fast run prints nothing extra and ``--json`` output,
pipes and CI logs stay clean. The bar is cleared when the job ends. rich (which Textual
brings) is imported only when a bar is drawn: the headless CLI's start-up does not pay it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from reglab.core.jobs import Progress, ProgressCallback

DELAY_SECONDS = 1.0


@contextmanager
def stderr_progress(
    stream: IO[str] | None = None,
    delay: float = DELAY_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[ProgressCallback | None]:
    """A progress callback drawing a bar on ``stream`` (stderr), or None where that is no
    terminal."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield None
        return
    bar = _DelayedBar(stream, delay, clock)
    try:
        yield bar.update
    finally:
        bar.close()


class _DelayedBar:
    def __init__(self, stream: IO[str], delay: float, clock: Callable[[], float]) -> None:
        self.stream, self.delay, self.clock = stream, delay, clock
        self.started = clock()
        self.bar: Any = None
        self.task: Any = None

    def update(self, progress: Progress) -> None:
        if self.bar is None:
            if self.clock() - self.started < self.delay:
                return
            self._start()
        self.bar.update(self.task, completed=progress.fraction, description=progress.message)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(file=self.stream),
            transient=True,  # gone when the job ends: the result stands alone
        )
        self.bar.start()
        self.task = self.bar.add_task("", total=1.0)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
