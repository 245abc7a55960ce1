"""The labs' tab bar: drawn as Textual's Tabs draws, and driven by keys and the mouse."""

from __future__ import annotations

import random
import re

import pytest
from textual.app import App, ComposeResult
from textual.widgets import ContentSwitcher, Tab, Tabs

from reglab.core.registry import LABS
from reglab.widgets.lab_tabs import LabTabs

from .helpers import ReglabApp, settle

TABS = [("one", "1 One"), ("two", "2 Two"), ("three", "3 Three"), ("four", "4 Four")]


class BarApp(App):
    """A bar alone: Textual's Tabs or ours, the third tab active."""

    def __init__(self, ours: bool) -> None:
        super().__init__()
        self.ours = ours

    def compose(self) -> ComposeResult:
        if self.ours:
            yield LabTabs(TABS, active="three")
        else:
            yield Tabs(*(Tab(label, id=tab) for tab, label in TABS), active="three")


async def picture(ours: bool, focused: bool) -> str:
    app = BarApp(ours)
    async with app.run_test(size=(60, 4)) as pilot:
        app.set_focus(app.query_one(LabTabs if ours else Tabs) if focused else None)
        await pilot.pause()
        svg = app.export_screenshot()
    return re.sub(r"terminal-\d+", "terminal", svg)


@pytest.mark.parametrize("focused", [False, True])
async def test_the_bar_draws_what_textuals_tabs_draw(focused):
    assert await picture(ours=True, focused=focused) == await picture(ours=False, focused=focused)


async def test_a_click_on_a_label_shows_its_lab():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        bar = app.query_one(LabTabs)
        start, _ = bar.spans[2]
        await pilot.click(LabTabs, offset=(start + 2, 0))
        await settle(app, pilot)
        assert app.current_pane.lab.name == list(LABS)[2]
        assert app.focused is not bar  # the lab's controls have it


async def test_on_the_focused_bar_the_arrows_move_between_labs_and_keep_focus():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        bar = app.query_one(LabTabs)
        app.set_focus(bar)
        await pilot.press("right", "right")
        await settle(app, pilot)
        assert app.current_pane.lab.name == list(LABS)[2]
        assert app.focused is bar
        await pilot.press("left", "left", "left")  # wraps round to the last lab
        await settle(app, pilot)
        assert app.current_pane.lab.name == list(LABS)[-1]
        assert app.focused is bar


async def test_a_bar_too_narrow_for_every_label_shows_the_active_one():
    app = BarApp(ours=True)
    async with app.run_test(size=(14, 4)) as pilot:
        bar = app.query_one(LabTabs)
        for tab, label in TABS:
            bar.active = tab
            await pilot.pause()
            assert label in bar.render_line(0).text, (tab, bar.render_line(0).text)
        bar.active = "one"
        await pilot.pause()
        assert bar.scroll == 0


async def test_the_hovered_label_is_marked_and_unmarked_on_leaving():
    app = BarApp(ours=True)
    async with app.run_test(size=(60, 4)) as pilot:
        bar = app.query_one(LabTabs)
        start, _ = bar.spans[1]
        await pilot.hover(LabTabs, offset=(start + 1, 0))
        assert bar.hovered == 1
        await pilot.hover(LabTabs, offset=(59, 0))  # right of every label
        assert bar.hovered is None
        await pilot.hover(LabTabs, offset=(start + 1, 0))
        await pilot.hover(None, offset=(start + 1, 3))  # below the bar
        assert bar.hovered is None


async def test_a_burst_of_clicks_and_arrows_ends_on_the_bars_lab():
    """Seeded: whatever mix of clicks and ← → reaches the bar, the lab shown is the one the
    bar marks, and its pane is the one started."""
    rng = random.Random(3)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        bar = app.query_one(LabTabs)
        for _ in range(25):
            if rng.random() < 0.5:
                start, end = bar.spans[rng.randrange(len(LABS))]
                await pilot.click(LabTabs, offset=(rng.randrange(start, end), rng.randrange(2)))
            else:
                app.set_focus(bar)
                await pilot.press(*rng.choices(["left", "right"], k=rng.randrange(1, 4)))
        await settle(app, pilot)
        assert app.query_one("#labs", ContentSwitcher).current == bar.active
        assert app.current_pane is not None and app.current_pane.lab.name == bar.active
        assert app.current_pane.started
