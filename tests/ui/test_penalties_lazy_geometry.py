"""The penalties tab computes the L1/L2 plane only while its chart (v) is shown, and keeps
the results of the built-in data sets: a knob stepped back shows one without a new fit."""

from __future__ import annotations

from tests.ui.helpers import ReglabApp, open_lab, settle


async def test_the_plane_is_computed_only_while_the_geometry_chart_shows():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "penalties")
        geometry_chart = pane.query_one("#geometry-chart")
        assert pane.result.geometry is None  # hidden: skipped
        assert len(pane.result.feature_names) == 20

        await pilot.press("v")  # shown: the same parameters again, now with the plane
        await settle(app, pilot)
        assert pane.result.geometry["names"] == ["x2", "x8"]
        assert "x2 × x8" in geometry_chart.chart_title

        await pilot.press("left")  # lasso -> ridge, still shown: with the plane
        await settle(app, pilot)
        assert pane.params.model == "ridge" and pane.result.geometry is not None

        await pilot.press("v")  # hidden again: the next key skips it
        await pilot.press("right")
        await settle(app, pilot)
        assert pane.params.model == "lasso" and pane.result.geometry is None


async def test_a_bad_geometry_pair_is_refused_while_the_chart_is_hidden():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "penalties")
        params = pane.params.__class__(**{**vars(pane.params), "geometry_features": "0,99"})
        pane.refit(params)
        await settle(app, pilot)
        assert pane.result.params.geometry_features == ""  # the last good result stays
        assert "out of range" in str(pane.query_one("JobStatus").render())


async def test_a_knob_stepped_back_shows_the_result_seen_before_without_computing_it():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "penalties")
        first = pane.result
        await pilot.press("left")  # lasso -> ridge
        await settle(app, pilot)
        assert pane.result.params.model == "ridge"
        await pilot.press("right")  # and back
        await settle(app, pilot)
        assert pane.result is first
