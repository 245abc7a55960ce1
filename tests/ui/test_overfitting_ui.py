"""The overfitting tab by keyboard."""

from __future__ import annotations

from reglab.widgets.chart import Chart
from tests.ui.helpers import ReglabApp, focused_row, metric_text, relevant, settle


async def test_arrow_keys_change_degree_and_refit():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        assert focused_row(app).param_name == "degree"
        before, numbers_before = pane.result, metric_text(app)
        chart = pane.query_one("#fit-chart", Chart)
        drawing_before = chart._draw
        await pilot.press("left")
        await settle(app, pilot)
        assert pane.params.degree == 13
        assert pane.result.params.degree == 13 and pane.result is not before
        assert pane.result.train_mse != before.train_mse
        assert metric_text(app) != numbers_before
        assert chart._draw is not drawing_before


async def test_the_solver_row_switches_to_the_exact_fit_and_dims_under_ridge():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        before = metric_text(app)
        await pilot.press("down", "down")
        assert focused_row(app).param_name == "solver"
        assert relevant(pane, "solver")
        await pilot.press("right")
        await settle(app, pilot)
        assert pane.params.solver == "exact" and pane.result.params.solver == "exact"
        assert pane.result.train_mse < 1e-10
        train_line = next(line for line in metric_text(app).splitlines() if "train MSE" in line)
        assert train_line == "train MSE 0.0000" and train_line not in before
        # A ridge penalty has one solution: the solver row dims.
        await pilot.press("up", "right")
        await settle(app, pilot)
        assert pane.params.alpha > 0 and not relevant(pane, "solver")


def chart_text(chart: Chart) -> str:
    """What the chart shows now, as plain text (built as the screen would build it)."""
    return chart.render().plain


async def test_L_switches_the_lower_chart_to_the_learning_curve_and_back():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        chart = pane.query_one("#degree-chart", Chart)
        result = pane.result
        assert chart.chart_title.startswith("MSE against degree")
        assert "polynomial degree" in chart_text(chart)
        await pilot.press("L")
        await pilot.pause()
        assert chart.chart_title.startswith("Learning curve")
        shown = chart_text(chart)
        assert "training points (degree 14)" in shown and "polynomial degree" not in shown
        assert "train ± std" in shown and "CV ± std" in shown
        assert pane.result is result  # the curve is part of the result: nothing refits
        # In learning-curve mode a degree key press redraws the curve for the new degree.
        await pilot.press("left")
        await settle(app, pilot)
        assert pane.result.params.degree == 13 and pane.result.learning_curve is not None
        assert "training points (degree 13)" in chart_text(chart)
        await pilot.press("L")
        await pilot.pause()
        assert chart.chart_title.startswith("MSE against degree")
        assert "polynomial degree" in chart_text(chart)
