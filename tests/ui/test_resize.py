"""Every tab at every size, resized live both ways while a job runs: nothing breaks, and
below the minimum the app asks for a larger terminal instead of drawing a broken layout."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from reglab.app import MIN_HEIGHT, MIN_WIDTH
from reglab.core.registry import LABS
from reglab.widgets.lab_tabs import LabTabs

from .helpers import ReglabApp, open_lab, settle

SIZES = [(40, 12), (60, 20), (80, 24), (100, 30), (160, 50), (300, 100)]


def too_small(app: ReglabApp) -> bool:
    return app.screen.query_one("#too-small", Static).display


@pytest.mark.parametrize("lab", list(LABS))
async def test_resizing_while_a_job_runs_breaks_nothing(lab, internal_errors):
    app = ReglabApp(warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_lab(app, pilot, lab)
        for width, height in SIZES + SIZES[::-1]:
            pane.refit()
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            small = width < MIN_WIDTH or height < MIN_HEIGHT
            assert too_small(app) is small, (width, height)
            assert app.screen.query_one(LabTabs).display is not small
            assert app.screen.query_one("#labs").display is not small
        await settle(app, pilot)
        assert pane.result is not None and pane.result.params == pane.params.effective()
    assert not internal_errors, [r.getMessage() for r in internal_errors]


async def test_below_the_minimum_size_the_app_asks_for_more_room():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        notice = app.screen.query_one("#too-small", Static)
        assert notice.display
        assert "Make the terminal larger" in str(notice.content)
        assert "40×12" in str(notice.content)
        await pilot.resize_terminal(MIN_WIDTH, MIN_HEIGHT)
        await pilot.pause()
        assert not notice.display
