"""Textual's repeating timer, without the extra frame it skips after falling behind.

The screen repaints on a 60 fps timer that pauses while nothing changes. When the timer
finds its next tick already past (after a pause, or a long frame), ``Timer._run`` (Textual
8.2.8) means to move on to the next tick to come, but counts one too many and waits for the
one after it. A result whose numbers took one frame and whose charts arrived during it
then reached the screen up to 33 ms later than it could: on penalties, 2 to 4 of every 30
keys took ~60 ms from key to chart instead of ~30 (bench_ui's key -> chart p95).

``install`` replaces ``Timer._run`` with Textual's own loop, the count corrected. It does so
only where that loop is the one it was written against, Textual 8.2.8's (``pyproject.toml``
pins it), told by the names and constants its code uses: ``textual.__version__`` reads
package metadata, 10 ms before the first paint. tests/unit/test_frame_timer.py checks both.
"""

from __future__ import annotations

from textual import _time
from textual.timer import EventTargetGone, Timer

FIXED_VERSION = "8.2.8"
TEXTUALS_RUN = Timer._run  # the loop this module replaces
# What that loop's code uses (names, constants) in the version fixed.
FIXED_LOOP = (
    (
        "_repeat",
        "_interval",
        "_active",
        "wait",
        "_time",
        "get_time",
        "_skip",
        "int",
        "max",
        "sleep",
        "_reset",
        "_tick",
        "EventTargetGone",
    ),
    ("Run the timer.", 0, None, 1, False, ("next_timer", "count")),
)


async def _run(self: Timer) -> None:
    """Textual 8.2.8's ``Timer._run``; only the count after falling behind differs."""
    count = 0
    _repeat = self._repeat
    _interval = self._interval
    self._active  # noqa: B018 - force instantiation in the same thread (Textual's line)
    await self._active.wait()
    start = _time.get_time()

    while _repeat is None or count <= _repeat:
        next_timer = start + ((count + 1) * _interval)
        now = _time.get_time()
        if self._skip and next_timer < now:
            # The tick just passed: the loop's next_timer is then the next one to come.
            # Textual's ``int((now - start) / _interval + 1)`` lands one tick later.
            count = int((now - start) / _interval)
            continue
        now = _time.get_time()
        wait_time = max(0, next_timer - now)
        await _time.sleep(wait_time)
        count += 1
        await self._active.wait()
        if self._reset:
            start = _time.get_time()
            count = 0
            self._reset = False
            continue
        try:
            await self._tick(next_timer=next_timer, count=count)
        except EventTargetGone:
            break


def install() -> bool:
    """Use the corrected loop; False (and Textual's own) where Textual's loop is not the
    one corrected here."""
    code = TEXTUALS_RUN.__code__
    if (code.co_names, code.co_consts) != FIXED_LOOP:
        return False
    Timer._run = _run  # type: ignore[method-assign]
    return True
