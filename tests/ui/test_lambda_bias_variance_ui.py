"""Drive the lambda (6) and bias-variance (7) tabs by keyboard."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from reglab.core.registry import LABS
from reglab.core.spec import with_values
from reglab.widgets.chart import Chart
from reglab.widgets.job_status import JobStatus
from reglab.widgets.param_panel import ParamPanel
from tests.ui.helpers import ReglabApp, focused_row, metric_text, settle


def tab_key(lab: str) -> str:
    """The number key of a lab's tab (6 and 7 once every lab is registered)."""
    return str(list(LABS).index(lab) + 1)


async def open_lab(app: ReglabApp, pilot, lab: str):
    await settle(app, pilot)
    await pilot.press(tab_key(lab))
    await settle(app, pilot)
    pane = app.current_pane
    assert pane.lab.name == lab and pane.result is not None
    return pane


def relevant(pane, name: str) -> bool:
    return pane.query_one(ParamPanel).row(name).relevant


async def type_value(app: ReglabApp, pilot, text: str) -> None:
    """Open the focused row's editor, replace its text, submit."""
    await pilot.press("enter")
    editor = app.focused
    assert isinstance(editor, Input)
    editor.value = ""
    await pilot.press(*text, "enter")


# --- lambda ---------------------------------------------------------------------------------


async def test_lambda_model_and_folds_by_keyboard():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "lambda")
        assert focused_row(app).param_name == "model"
        lasso = pane.result
        assert lasso.params.model == "lasso" and lasso.n_nonzero is not None
        assert f"{lasso.alpha_min:.4g}" in metric_text(app)
        assert not relevant(pane, "l1_ratio")
        cv_chart = pane.query_one("#cv-chart", Chart)
        drawing = cv_chart._draw

        await pilot.press("left")  # lasso -> ridge
        await settle(app, pilot)
        ridge = pane.result
        assert pane.params.model == "ridge" and ridge.params.model == "ridge"
        assert ridge.n_nonzero is None and ridge.alpha_min != lasso.alpha_min
        assert f"{ridge.alpha_min:.4g}" in metric_text(app)
        assert cv_chart._draw is not drawing
        assert not relevant(pane, "l1_ratio")

        await pilot.press("right", "right")  # ridge -> lasso -> elasticnet
        await settle(app, pilot)
        assert pane.result.params.model == "elasticnet" and relevant(pane, "l1_ratio")

        await pilot.press("down", "down", "down")
        assert focused_row(app).param_name == "folds"
        await pilot.press("left")
        await settle(app, pilot)
        assert pane.result.params.folds == 4 and len(pane.result.fold_scores) == 4
        assert "kfold × 4" in metric_text(app)


async def test_lambda_m_toggles_the_chosen_alpha_without_recomputing():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "lambda")
        result, generation = pane.result, pane.runner.generation
        assert result.alpha_1se > result.alpha_min  # the default data tells them apart
        refit, cv_chart = pane.query_one("#refit-chart", Chart), pane.query_one("#cv-chart", Chart)
        refit_drawing, cv_drawing = refit._draw, cv_chart._draw
        assert pane.chosen == "min" and "▶ α.min" in metric_text(app)
        assert f"α.min={result.alpha_min:.3g}" in refit.chart_title

        await pilot.press("m")
        await pilot.pause()
        assert pane.chosen == "1se"
        assert pane.runner.generation == generation and pane.result is result
        assert refit._draw is not refit_drawing and cv_chart._draw is not cv_drawing
        assert f"α.1se={result.alpha_1se:.3g}" in refit.chart_title
        assert f"{result.n_nonzero_1se}/{len(result.feature_names)}" in refit.chart_title
        assert "▶ α.1se" in metric_text(app) and "▶ α.min" not in metric_text(app)

        # The choice survives a recompute with new parameters.
        await pilot.press("left")  # lasso -> ridge
        await settle(app, pilot)
        assert pane.result.params.model == "ridge" and pane.chosen == "1se"
        assert f"α.1se={pane.result.alpha_1se:.3g}" in refit.chart_title

        await pilot.press("m")
        await pilot.pause()
        assert pane.chosen == "min" and "▶ α.min" in metric_text(app)


async def test_lambda_rapid_presses_end_on_the_last_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "lambda")
        shown = []
        original = pane.show_result
        pane.show_result = lambda result: (shown.append(result.params.folds), original(result))
        await pilot.press("down", "down", "down")
        await pilot.press(*["right"] * 5)
        await settle(app, pilot)
        assert pane.params.folds == 10 and pane.result.params == pane.params.effective()
        assert shown and shown[-1] == 10
        assert "kfold × 10" in metric_text(app)


# --- bias-variance --------------------------------------------------------------------------


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
        # A tree sweep over 3000 rounds takes many seconds; x stops it within one chunk.
        # (One change, not two: a second would cancel the first job before its thread ran.)
        panel = pane.query_one(ParamPanel)
        panel.set_params(with_values(panel.params, {"rounds": 3000, "model": "tree"}), "model")
        await pilot.pause()
        assert pane.runner.busy
        await pilot.press("x")
        await settle(app, pilot)
        assert pane.result is before
        assert "cancelled" in pane.query_one(JobStatus).message
