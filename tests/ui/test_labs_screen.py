"""The labs' screen draws its frames with a long GIL switch interval, and only its frames."""

from __future__ import annotations

import sys

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from reglab.app import ReglabApp
from reglab.compute.switch_interval import FRAME_SWITCH_INTERVAL
from reglab.screens.labs import LabsScreen

from .helpers import settle


class Probe(Static):
    """Notes the switch interval in force whenever it is drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[float] = []

    def render(self):
        self.seen.append(sys.getswitchinterval())
        return "probe"


class ProbeApp(App):
    def get_default_screen(self) -> LabsScreen:
        return LabsScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Probe()


async def test_every_frame_is_drawn_with_the_long_interval_which_is_restored_after():
    before = sys.getswitchinterval()
    app = ProbeApp()
    async with app.run_test(size=(40, 10)) as pilot:
        probe = app.query_one(Probe)
        await pilot.pause()
        probe.refresh()  # a frame of changed lines
        await pilot.pause()
        await pilot.resize_terminal(50, 12)  # a new layout at once
        await pilot.pause()
        assert len(probe.seen) >= 3
        assert probe.seen == pytest.approx([FRAME_SWITCH_INTERVAL] * len(probe.seen))
        assert sys.getswitchinterval() == before  # between frames, as before
    assert FRAME_SWITCH_INTERVAL > before


async def test_the_app_draws_its_labs_on_that_screen():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen_stack[0], LabsScreen)
