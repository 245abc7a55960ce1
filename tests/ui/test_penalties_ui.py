"""The penalties tab by keyboard."""

from __future__ import annotations

from tests.ui.helpers import ReglabApp, focused_row, metric_text, settle


async def test_penalties_model_choice_cycles_and_lasso_zeroes_coefficients():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        assert pane.lab.name == "penalties" and pane.result.n_nonzero < 20
        await pilot.press("left")  # lasso -> ridge
        await settle(app, pilot)
        assert pane.params.model == "ridge" and pane.result.n_nonzero == 20
        assert "20 / 20" in metric_text(app)


async def test_alpha_arrows_step_within_the_datas_range_up_to_alpha_max():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        low, high = pane.result.ranges["alpha"]
        await pilot.press("down")  # model -> alpha
        row = focused_row(app)
        assert row.param_name == "alpha" and row.span == (low, high)
        assert "for these data" in str(row.tooltip)
        for _ in range(4):  # four big steps: 1 -> 1e4 without the range
            await pilot.press("shift+right")
            await settle(app, pilot)
        # Stopped at alpha_max, where the lasso has just zeroed every coefficient.
        assert pane.params.alpha == float(f"{high:.6g}") and high < 1e4
        assert pane.result.n_nonzero == 0 and pane.result.notes == ()
        assert "0 / 20" in metric_text(app)


async def test_v_shows_the_geometry_and_alpha_moves_its_solution():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        coef_chart, geometry_chart = (
            pane.query_one("#coef-chart"),
            pane.query_one("#geometry-chart"),
        )
        assert coef_chart.display and not geometry_chart.display
        await pilot.press("v")
        await pilot.pause()
        assert geometry_chart.display and not coef_chart.display
        assert geometry_chart.size.height > 10
        assert "x2 × x8" in geometry_chart.chart_title
        before = pane.result.geometry["solution"]
        await pilot.press("down")  # model -> alpha
        assert focused_row(app).param_name == "alpha"
        await pilot.press("shift+right")  # a decade stronger: 1 -> 10
        await settle(app, pilot)
        assert pane.params.alpha == 10 and geometry_chart.display
        after = pane.result.geometry["solution"]
        # Stronger L1: the pair moves towards the origin, on a smaller diamond.
        assert abs(after[0]) + abs(after[1]) < abs(before[0]) + abs(before[1])
        await pilot.press("v")
        await pilot.pause()
        assert coef_chart.display and not geometry_chart.display
