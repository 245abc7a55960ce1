"""Charts are built on the builder thread; the UI thread only shows finished pictures, and
imports no plotext before the first frame."""

from __future__ import annotations

import subprocess
import sys
import threading

import reglab.widgets.plot_build as plot_build
from reglab.app import ReglabApp
from reglab.snapshot import settle
from reglab.widgets.chart import Chart


async def test_pictures_are_built_off_the_ui_thread_and_reach_the_screen(monkeypatch):
    threads: set[str] = set()
    build = plot_build.build_picture

    def recording_build(chart, drawing):
        threads.add(threading.current_thread().name)
        return build(chart, drawing)

    monkeypatch.setattr(plot_build, "build_picture", recording_build)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert threads == {"reglab-charts"}
        chart = app.current_pane.query_one("#fit-chart", Chart)
        assert not chart.drawing
        assert "training points" in chart.render().plain


async def test_a_theme_change_rebuilds_every_chart_in_the_new_colours():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chart = app.current_pane.query_one("#fit-chart", Chart)
        before = chart.render()
        app.theme = "textual-light"
        await settle(app, pilot)
        after = chart.render()
        assert after.plain == before.plain and after.spans != before.spans


async def test_a_drawing_that_raises_shows_a_line_in_the_chart_not_a_crash(internal_errors):
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chart = app.current_pane.query_one("#fit-chart", Chart)

        def broken(plt, size):
            raise ValueError("no data")

        chart.show(broken)
        await settle(app, pilot)
        assert "✗" in chart.render().plain and app.is_running
        assert [r.getMessage() for r in internal_errors] == ["internal error in a chart"]


def test_the_app_imports_no_plotext_before_its_first_build():
    """plotext loads on the builder thread with the first chart (16 ms off first paint)."""
    probe = (
        "import sys, reglab.app, reglab.labs.overfitting; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('plotext', 'textual_plotext')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_the_charts_of_one_result_reach_the_screen_in_one_frame(monkeypatch):
    """A chart built first waits for the others of the same result, so they repaint
    together: a frame each made the last one wait a frame more."""
    gate = threading.Event()
    gate.set()
    build = plot_build.build_picture

    def path_waits_for_the_gate(chart, drawing):
        if chart.id == "path-chart":
            gate.wait(30)
        return build(chart, drawing)

    monkeypatch.setattr(plot_build, "build_picture", path_waits_for_the_gate)
    app = ReglabApp(warm=False, start_lab="penalties")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        coef, path = (app.current_pane.query_one(f"#{n}-chart", Chart) for n in ("coef", "path"))
        shown = coef._picture
        gate.clear()
        await pilot.press("right")  # the first parameter: a new result, new pictures
        for _ in range(200):
            await pilot.pause(0.01)
            if not coef.drawing:
                break
        assert coef._picture is not shown and path.drawing
        assert coef._unseen  # built, and held back until the path's picture comes
        gate.set()
        await settle(app, pilot)
        assert not coef._unseen and not path.drawing
