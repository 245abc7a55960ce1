"""The lab runner: one per lab tab, coalescing parameter changes into background jobs.

Policy (STYLE.md "Off the UI thread"):
- idle: a new parameter set starts at once — no debounce delay, so a key press reaches
  the chart in one fit's time;
- busy: only the newest pending parameter set is kept and starts when the running job
  ends; labs with long jobs also cancel the running job (``cancel_running``);
- every job carries a generation number and only the newest generation's result is
  shown: cancellation is cooperative, so both guards are needed.

Each job runs in a daemon thread of its own and talks back only through ``post_message``,
which is thread-safe. Not a Textual thread worker: those run on asyncio's default executor,
which is joined when the app exits, so quitting during a long fit (scikit-learn cannot be
stopped inside one) waited for it, 4-5 s for an L1 classification curve. A daemon thread
is not waited for, and nothing it holds needs saving: results only ever reach the screen.

A long job shares the GIL with the UI thread, so while one runs the interpreter's switch
interval is short (``reglab.compute.switch_interval``).

The widget hands each message to ``accept`` here, which keeps the books and drops stale
generations, so no widget compares them. A job is stopped through its own flag, checked
between the steps of its computation.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.widget import Widget

from reglab.compute.switch_interval import SWITCH_INTERVAL
from reglab.core.errors import Cancelled, ReglabError
from reglab.core.jobs import CancelledCallback, Progress, ProgressCallback
from reglab.core.notes import warnings_as_notes
from reglab.errorlog import log_internal_error

Compute = Callable[[Any, ProgressCallback, CancelledCallback], Any]

# A job that has run this long (seconds) is a long one: the GIL switch interval is short
# while one runs (``switch_interval``); a key's own job is done by then, a heavy one is not.
LONG_JOB = 0.02


@dataclass
class JobMessage(Message):
    """Base of the messages a job sends to its lab widget."""

    lab: str
    generation: int


@dataclass
class JobProgress(JobMessage):
    progress: Progress


@dataclass
class JobDone(JobMessage):
    result: Any
    seconds: float


@dataclass
class JobFailed(JobMessage):
    error: BaseException


@dataclass
class JobCancelled(JobMessage):
    pass


class LabRunner:
    """Starts, coalesces and cancels one lab's jobs; lives on the UI thread."""

    def __init__(
        self,
        owner: Widget,
        lab: str,
        compute: Compute,
        *,
        cancel_running: bool = False,
        progress_interval: float = 0.05,
    ) -> None:
        self.owner = owner
        self.lab = lab
        self.compute = compute
        self.cancel_running = cancel_running
        self.progress_interval = progress_interval
        self.generation = 0
        self._running: tuple[threading.Event, int] | None = None
        self._pending: tuple[Any, int] | None = None

    @property
    def busy(self) -> bool:
        return self._running is not None or self._pending is not None

    def submit(self, params: Any) -> int:
        """Ask for a result for ``params``; returns the generation that will show it."""
        self.generation += 1
        if self._running is None:
            self._start(params, self.generation)
        else:
            self._pending = (params, self.generation)
            if self.cancel_running:
                self._running[0].set()
        return self.generation

    def cancel(self) -> bool:
        """Stop the running job and forget any pending one; True if there was work.
        Cancelling while idle changes nothing."""
        if not self.busy:
            return False
        self._pending = None
        self.generation += 1  # whatever is still in flight is now stale
        if self._running is not None:
            self._running[0].set()
        return True

    def accept(self, message: JobMessage) -> bool:
        """UI thread: take a job's message. An outcome (done, failed, cancelled) ends its job
        and starts the pending one. True if ``message`` is from the newest generation: only
        then may it reach the screen."""
        if not isinstance(message, JobProgress):
            if self._running is not None and self._running[1] == message.generation:
                self._running = None
            if self._running is None and self._pending is not None:
                params, generation = self._pending
                self._pending = None
                self._start(params, generation)
        return message.generation == self.generation

    def shutdown(self) -> None:
        """The lab is going away (the app quits): stop the running job at its next check."""
        self._pending = None
        if self._running is not None:
            self._running[0].set()

    def _start(self, params: Any, generation: int) -> None:
        stop = threading.Event()
        self._running = (stop, generation)
        job = threading.Thread(
            target=self._work,
            args=(params, generation, stop),
            name=f"reglab-{self.lab}#{generation}",
            daemon=True,
        )
        job.start()

    def _work(self, params: Any, generation: int, stop: threading.Event) -> None:
        """Runs in the job's thread."""
        post = self.owner.post_message
        last_post = 0.0
        watch = LongJobWatch()

        def progress(update: Progress) -> None:
            nonlocal last_post
            now = time.monotonic()
            watch.check(now)
            if now - last_post >= self.progress_interval:
                last_post = now
                post(JobProgress(self.lab, generation, update))

        started = time.perf_counter()
        warned: list[str] = []  # this job's warnings, whatever other labs' threads raise
        try:
            try:
                with warnings_as_notes(warned):
                    result = self.compute(params, progress, stop.is_set)
            finally:
                watch.end()
            result = with_notes(result, warned)  # the notes are written as the block ends
        except Cancelled:
            post(JobCancelled(self.lab, generation))
        except Exception as error:  # noqa: BLE001 - every failure becomes a visible message
            if not isinstance(error, ReglabError):  # a bug, not the user's input
                log_internal_error(f"the {self.lab} computation", error)
            post(JobFailed(self.lab, generation, error))
        else:
            post(JobDone(self.lab, generation, result, time.perf_counter() - started))


class LongJobWatch:
    """Counts one job as long from its first progress report after ``LONG_JOB``
    seconds. The job's own thread looks, at its reports: a timer thread would wait for the
    GIL behind the job exactly as long as the UI thread does."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.long = False

    def check(self, now: float) -> None:
        if not self.long and now - self.started >= LONG_JOB:
            self.long = True
            SWITCH_INTERVAL.long_job_began()

    def end(self) -> None:
        if self.long:
            self.long = False
            SWITCH_INTERVAL.long_job_ended()


def with_notes(result: Any, notes: list[str]) -> Any:
    """``result`` with ``notes`` added, where it is a dataclass that keeps notes."""
    if notes and dataclasses.is_dataclass(result) and hasattr(result, "notes"):
        return dataclasses.replace(result, notes=(*result.notes, *notes))  # type: ignore[type-var]
    return result
