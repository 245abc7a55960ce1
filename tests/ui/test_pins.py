"""Pin and compare, by keyboard, in every lab: p pins the result, a changed parameter
draws the new run over the pinned one in every chart and the table shows pinned → now, P
clears. And export carries the pins."""

from __future__ import annotations

import json

import pytest

from reglab.core.registry import LABS
from reglab.core.spec import specs, with_values
from reglab.widgets.chart import Chart
from reglab.widgets.pins import PinTable
from tests.ui.helpers import ReglabApp, focused_row, settle

# The parameter each lab's test changes with →: its first, unless that opens a form or
# costs a long run; dropout trains for a few epochs only.
CHANGED = {"production": "change", "bias-variance": "rounds", "trees": "max_depth"}
START = {"dropout": {"max_epochs": 4, "patience": 0}}


async def focus_param(app, pilot, name: str) -> None:
    for _ in range(20):
        if focused_row(app).param_name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"no parameter row {name}")


@pytest.mark.parametrize("lab", list(LABS))
async def test_pin_change_compare_clear(lab, tmp_path):
    start = with_values(LABS[lab].params(), START.get(lab, {}))
    app = ReglabApp(warm=False, start_lab=lab, start_params=start, export_dir=tmp_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        assert pane.result is not None and not pane.query_one(PinTable).display
        await pilot.press("p")
        await settle(app, pilot)
        assert [pin.number for pin in pane.pins] == [1]
        assert pane.query_one(PinTable).display
        name = CHANGED.get(lab, next(iter(specs(pane.params))))
        await focus_param(app, pilot, name)
        await pilot.press("right")
        await settle(app, pilot)
        pinned, now = pane.pins[0].result, pane.result
        assert getattr(pinned.params, name) != getattr(now.params, name)
        shown = [chart for chart in pane.query(Chart) if chart.display and chart._draw]
        assert shown and all(len(chart.overlays) == 1 for chart in shown)
        assert all("pin 1" in chart._picture.plain for chart in shown if chart.size.height > 12)
        assert pane.pins[0].label(now.params).startswith(f"pin 1: {name}=")
        rows = pane.query_one(PinTable).rows
        assert [row[0] for row in rows] == list(LABS[lab].key_numbers)
        assert any(change not in ("", "±0") for *_, change in rows)  # something moved
        await pilot.press("e")
        (exported,) = tmp_path.glob("*.json")
        payload = json.loads(exported.read_text())
        assert [p["params"][name] for p in payload["pins"]] == [getattr(pinned.params, name)]
        await pilot.press("P")
        await settle(app, pilot)
        assert pane.pins == [] and not pane.query_one(PinTable).display
        assert all(chart.overlays == () for chart in pane.query(Chart))


async def test_the_pin_keys_are_on_the_help_screen_and_in_the_palette():
    app = ReglabApp(warm=False, start_lab="trees")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        ids = {binding.id for _, binding in app.keyed_actions()}
        assert {"lab.pin", "lab.clear-pins", "lab.next-chart", "trees.next-model"} <= ids
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.export_screenshot()
        assert all(key in screen for key in ("lab.pin", "lab.next-chart", "trees.next-model"))


async def test_a_pin_without_the_plane_lets_penalties_settle_once_the_plane_shows():
    """A pin taken while the geometry chart was hidden has no plane. Drawing it under the
    live run once the plane showed asked for the plane again at every draw: the lab refitted
    without end (found by the key fuzzer)."""
    app = ReglabApp(warm=False, start_lab="penalties")
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        await pilot.press("p", "v")
        await settle(app, pilot, timeout=30)
        assert pane.pins[0].result.geometry is None and pane.result.geometry is not None
        generation = pane.runner.generation
        for _ in range(5):
            await pilot.pause()
        assert pane.runner.generation == generation and pane.idle
