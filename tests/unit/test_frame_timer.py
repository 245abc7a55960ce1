"""The screen's frame timer, corrected: after falling behind it ticks at the next tick to
come, not the one after. Driven on a fake clock: no real time is measured."""

import asyncio

import textual
import textual.timer
from textual import _time
from textual.timer import EventTargetGone, Timer

from reglab import frame_timer

INTERVAL = 1.0


def ticks_after_a_long_frame(monkeypatch, run) -> list[float]:
    """The times of a timer's first four ticks, on a fake clock, when the second takes 1.4
    intervals (as a long frame does)."""
    clock = [0.0]

    async def fake_sleep(seconds: float) -> None:
        clock[0] += seconds
        await asyncio.sleep(0)

    monkeypatch.setattr(_time, "get_time", lambda: clock[0])
    monkeypatch.setattr(_time, "sleep", fake_sleep)
    monkeypatch.setattr(textual.timer, "sleep", fake_sleep)  # Textual's loop's own name
    monkeypatch.setattr(Timer, "_run", run)
    ticks: list[float] = []

    async def tick(self, next_timer: float, count: int) -> None:
        ticks.append(clock[0])
        if len(ticks) == 2:
            clock[0] += 1.4 * INTERVAL  # this frame overruns the next tick
        if len(ticks) == 4:
            raise EventTargetGone()  # ends the timer's loop

    class Target:
        pass

    target = Target()
    monkeypatch.setattr(Timer, "_tick", tick)
    asyncio.run(Timer(target, INTERVAL, skip=True)._run())  # type: ignore[arg-type]
    return ticks


def test_after_a_long_frame_the_next_tick_is_the_next_to_come(monkeypatch):
    textuals = ticks_after_a_long_frame(monkeypatch, frame_timer.TEXTUALS_RUN)
    ours = ticks_after_a_long_frame(monkeypatch, frame_timer._run)
    # The long frame ends at 3.4: the next tick to come is at 4.
    assert ours == [1.0, 2.0, 4.0, 5.0]
    assert textuals == [1.0, 2.0, 5.0, 6.0]  # Textual 8.2.8 waits a tick too many


def test_it_is_installed_where_the_loop_is_textual_8_2_8s(monkeypatch):
    monkeypatch.setattr(Timer, "_run", frame_timer.TEXTUALS_RUN)  # restored after the test
    assert frame_timer.install() == (textual.__version__ == frame_timer.FIXED_VERSION)

    async def another_loop(self):
        pass

    monkeypatch.setattr(frame_timer, "TEXTUALS_RUN", another_loop)
    monkeypatch.setattr(Timer, "_run", another_loop)
    assert not frame_timer.install()
    assert Timer._run is another_loop
