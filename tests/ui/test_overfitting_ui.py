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
