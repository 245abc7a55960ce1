"""The interpreter's GIL switch interval: one owner for the UI thread's two needs.

A thread waiting for the GIL asks its holder to let go after the switch interval (5 ms by
default), and restarts that wait whenever the holder releases and re-takes the GIL, which a
numpy-heavy job does in nearly every call:

- While a long job runs, the UI thread, back from a select() or a write, waited 75-170 ms
  for the GIL behind the degree-14 overfitting job; with 0.2 ms, 10-20 ms (1 ms still let
  40-60 ms through). It is short only while a job that has run ``LONG_JOB`` seconds runs
  (``runner.LongJobWatch``): set always, it let jobs take the GIL from the chart builder
  too, and the overfitting lab's key -> chart time grew ~15 ms.
- While the screen draws a frame (pure Python on the UI thread: layout, then every changed
  line), a busy worker took the GIL in turns with it: the classification grid's heaviest
  frame took 14-16 ms of CPU and 34-45 ms of wall time, and the event loop's worst lag
  during that job was 34-95 ms over 6 runs (bench_ui's measure). With the interval longer
  than a frame while one is drawn (``reglab.screens.labs``), the workers wait for it
  instead: 10-20 ms over 8 runs.

Both are process-wide settings of one number, so one object sets it: a frame's interval
while a frame is drawn, else the short one while a long job runs, else the one found.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

UI_SWITCH_INTERVAL = 0.0002  # seconds, while a long job runs
FRAME_SWITCH_INTERVAL = 0.05  # seconds, while a frame is drawn: longer than one (~20 ms)


class SwitchInterval:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._long_jobs = 0
        self._frames = 0
        self._found = sys.getswitchinterval()  # the interval when neither is under way

    def long_job_began(self) -> None:
        self._count(long_jobs=1)

    def long_job_ended(self) -> None:
        self._count(long_jobs=-1)

    @contextmanager
    def frame(self) -> Iterator[None]:
        """Around the drawing of one frame (on the UI thread)."""
        self._count(frames=1)
        try:
            yield
        finally:
            self._count(frames=-1)

    def _count(self, long_jobs: int = 0, frames: int = 0) -> None:
        with self._lock:
            if self._long_jobs == self._frames == 0:
                self._found = sys.getswitchinterval()
            self._long_jobs += long_jobs
            self._frames += frames
            if self._frames:
                sys.setswitchinterval(FRAME_SWITCH_INTERVAL)
            elif self._long_jobs:
                sys.setswitchinterval(min(self._found, UI_SWITCH_INTERVAL))
            else:
                sys.setswitchinterval(self._found)


SWITCH_INTERVAL = SwitchInterval()
