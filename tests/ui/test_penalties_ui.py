"""The penalties tab by keyboard."""

from __future__ import annotations

from tests.ui.helpers import ReglabApp, metric_text, settle


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
