"""Drive the lambda tab by keyboard."""

from __future__ import annotations

from reglab.widgets.chart import Chart
from reglab.widgets.param_panel import ParamPanel
from tests.ui.helpers import (
    ReglabApp,
    focused_row,
    metric_text,
    open_lab,
    relevant,
    settle,
)


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


async def advice_settled(app, pilot, panel) -> None:
    """Wait until the advice panel's own runner has nothing running or pending."""
    await settle(app, pilot)
    for _ in range(400):
        if not panel.runner.busy:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    assert not panel.runner.busy, "the advice did not arrive"


async def test_lambda_a_shows_the_advice_for_the_lab_data():
    from reglab.core.advise import AdviseParams, advise

    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "lambda")
        panel = pane.query_one("#advice")
        assert not panel.display  # hidden until asked: the default screen is unchanged
        generation = pane.runner.generation

        await pilot.press("a")
        await advice_settled(app, pilot, panel)
        expected = advise(AdviseParams.from_lambda(pane.params))
        assert expected.recommendation == "lasso"  # the default data: the synthetic reference
        assert panel.display and panel.advice.params == expected.params
        assert panel.text.startswith(f"Advice: {expected.headline()}")
        assert "lasso (" in panel.text and expected.reasons[1] in panel.text
        assert pane.runner.generation == generation  # the lab's own result did not recompute
        assert pane.has_class("-advising")  # a short screen gives it the refit chart's room

        await pilot.press("a")  # again: hide it
        await pilot.pause()
        assert not panel.display and not pane.has_class("-advising")


async def test_lambda_advice_is_dropped_when_the_data_change():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "lambda")
        panel = pane.query_one("#advice")
        await pilot.press("a")
        await advice_settled(app, pilot, panel)
        assert panel.advice is not None and panel.advice.params.dataset == "synthetic"

        # The model is not a data setting: the advice stays.
        await pilot.press("left")  # lasso -> ridge
        await settle(app, pilot)
        assert panel.advice is not None and "Advice: lasso" in panel.text

        pane.query_one(ParamPanel).row("dataset").focus()
        await pilot.press("right")  # auto (= synthetic) -> correlated
        await settle(app, pilot)
        assert pane.params.dataset == "correlated"
        assert panel.advice is None and "press a for advice on these data" in panel.text

        await pilot.press("a")
        await advice_settled(app, pilot, panel)
        assert panel.advice.params.dataset == "correlated"
        assert panel.advice.recommendation in ("ridge", "elasticnet")
        assert "med_count and polypharmacy" in panel.text

        # Asked about diabetes, then back to correlated: whenever the diabetes advice lands,
        # it answers other data and is not shown.
        await pilot.press("right")  # correlated -> diabetes
        await settle(app, pilot)
        await pilot.press("a", "left")
        await advice_settled(app, pilot, panel)
        assert pane.params.dataset == "correlated" and panel.advice is None
        assert "press a for advice on these data" in panel.text


async def test_lambda_advice_refuses_logistic_in_one_line():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "lambda")
        await pilot.press("right")  # lasso -> elasticnet
        await pilot.press("right")  # elasticnet -> logistic
        await settle(app, pilot)
        assert pane.params.model == "logistic"
        await pilot.press("a")
        await pilot.pause()
        panel = pane.query_one("#advice")
        assert panel.display and panel.text.startswith("✗ model: the advice compares")
        assert not panel.runner.busy
