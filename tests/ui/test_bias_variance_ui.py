"""Drive the bias-variance tab by keyboard."""

from __future__ import annotations

import pytest

from reglab.core.spec import with_values
from reglab.widgets.chart import Chart
from reglab.widgets.job_status import JobStatus
from reglab.widgets.param_panel import ParamPanel
from tests.ui.helpers import (
    ReglabApp,
    focused_row,
    metric_text,
    open_lab,
    relevant,
    settle,
    type_value,
)


async def open_bias_variance(app: ReglabApp, pilot, rounds: str = "20"):
    """Open the tab and type a small ``rounds`` first, to keep the tests quick."""
    pane = await open_lab(app, pilot, "bias-variance")
    await pilot.press("down", "down", "down")
    assert focused_row(app).param_name == "rounds"
    await type_value(app, pilot, rounds)
    await settle(app, pilot)
    assert pane.result.params.rounds == int(rounds)
    return pane


async def test_bias_variance_typed_rounds_and_model_by_keyboard():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_bias_variance(app, pilot)
        ridge = pane.result
        assert ridge.complexity_name == "alpha" and ridge.fit_at_best is not None
        numbers = metric_text(app)
        assert f"× {ridge.params.rounds}" in numbers and "adds up ✓" in numbers
        assert f"{ridge.best['bias2']:.4g}" in numbers
        assert relevant(pane, "degree") and not relevant(pane, "dataset")
        assert relevant(pane, "n_train") and relevant(pane, "noise")

        await pilot.press("up", "up", "up")
        assert focused_row(app).param_name == "model"
        await pilot.press("right")  # ridge -> tree
        await settle(app, pilot)
        tree = pane.result
        assert tree.params.model == "tree" and tree.complexity_name == "max_depth"
        assert tree.points[-1]["value"] is None  # unlimited depth, drawn at the right end
        assert f"best max_depth={tree.best['value'] or 'none'}" in metric_text(app)
        assert not relevant(pane, "degree")
        assert "max_depth" in pane.query_one("#best-chart", Chart).chart_title


async def test_bias_variance_bootstrap_mode_dims_simulation_rows():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_bias_variance(app, pilot)
        await pilot.press("down", "down", "down")
        assert focused_row(app).param_name == "mode"
        await pilot.press("right")
        await settle(app, pilot)
        result = pane.result
        assert result.params.mode == "bootstrap" and result.fit_at_best is None
        assert not relevant(pane, "n_train") and not relevant(pane, "noise")
        assert relevant(pane, "dataset") and not relevant(pane, "data")
        assert "adds up ✓ exactly" in metric_text(app)
        assert "noise in bias²" in metric_text(app)
        assert "variance (right)" in pane.query_one("#best-chart", Chart).chart_title


async def test_bias_variance_rapid_presses_end_on_the_last_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_bias_variance(app, pilot)
        shown = []
        original = pane.show_result
        pane.show_result = lambda result: (shown.append(result.params.noise), original(result))
        await pilot.press("down", "down")
        assert focused_row(app).param_name == "noise"
        await pilot.press(*["right"] * 4)
        await settle(app, pilot)
        assert pane.params.noise == pytest.approx(0.5)
        assert pane.result.params == pane.params.effective()
        assert shown and shown[-1] == pane.params.noise
        assert f"noise {0.5**2:.4g}" in metric_text(app)


async def test_bias_variance_x_cancels_a_long_sweep():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_bias_variance(app, pilot)
        before = pane.result
        # A tree sweep over 5000 rounds of 1000 points takes ~10 s; x stops it within a
        # block of rounds. (One change, not two: a second would cancel the first job before
        # its thread ran.)
        panel = pane.query_one(ParamPanel)
        long_sweep = {"rounds": 5000, "n_train": 1000, "model": "tree"}
        panel.set_params(with_values(panel.params, long_sweep), "model")
        await pilot.pause()
        assert pane.runner.busy
        await pilot.press("x")
        await settle(app, pilot)
        assert pane.result is before
        assert "cancelled" in pane.query_one(JobStatus).message
