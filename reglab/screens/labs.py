"""The labs' screen: each frame is drawn with the GIL kept, as far as CPython allows.

A frame is pure Python on the UI thread (layout, then every changed line). A worker thread
that wants the GIL takes it after the switch interval, 5 ms, and a busy one (a scikit-learn
fit, a chart being built) holds it 5 ms in turn: the classification grid's heaviest frame
took 14-16 ms of CPU and 34-45 ms of wall time, and the event loop's worst lag during that
job was 34-95 ms over 6 runs (bench_ui's measure). With the interval longer than any frame
while one is drawn, the workers wait for the frame instead: 10-20 ms over 8 runs. Between
frames they share as before; the live dropout tab still costs its trainer 0.2-1.2 % quiet
and under 3.2 % loaded (bench_dropout).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from textual.geometry import Size
from textual.screen import Screen

FRAME_SWITCH_INTERVAL = 0.05  # seconds: longer than the longest frame (about 20 ms)


@contextmanager
def keeping_the_gil() -> Iterator[None]:
    between_frames = sys.getswitchinterval()
    sys.setswitchinterval(FRAME_SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(between_frames)


class LabsScreen(Screen):
    # Textual 8's two ways to a frame: its refresh timer (changed lines, or a new layout),
    # and a new layout at once (the first frame, a resize).

    def _on_timer_update(self) -> None:
        with keeping_the_gil():
            super()._on_timer_update()

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        with keeping_the_gil():
            super()._refresh_layout(size, scroll)
