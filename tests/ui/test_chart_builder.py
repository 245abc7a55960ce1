"""Charts are built on the builder thread; the UI thread only shows finished pictures."""

from __future__ import annotations

import threading

import reglab.widgets.chart as chart_module
from reglab.app import ReglabApp
from reglab.snapshot import settle
from reglab.widgets.chart import Chart


async def test_pictures_are_built_off_the_ui_thread_and_reach_the_screen(monkeypatch):
    threads: set[str] = set()
    build = chart_module.build_picture

    def recording_build(plt, drawing):
        threads.add(threading.current_thread().name)
        return build(plt, drawing)

    monkeypatch.setattr(chart_module, "build_picture", recording_build)
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
