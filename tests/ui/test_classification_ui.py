"""Drive the classification tab by keyboard: knobs refit, numbers and charts follow.

Kept fast: the logistic knobs used here are lbfgs (L2 or none) on small data, or values on
the accuracy-vs-C grid whose fits are cached; slow saga (L1) runs are avoided.
"""

from __future__ import annotations

import dataclasses
import io

from rich.console import Console
from textual.widgets import Input

from reglab.core.jobs import Progress
from reglab.widgets.chart import Chart
from reglab.widgets.heatmap import BEST_MARK, HeatMap
from tests.ui.helpers import (
    ReglabApp,
    focused_row,
    irrelevant,
    metric_text,
    open_tab,
    settle,
)


def text_of(heat_map: HeatMap) -> str:
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(heat_map.content)
    return console.export_text()


async def test_classification_C_with_shift_arrow_refits_and_redraws():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_tab(app, pilot, "3", "classification")
        assert focused_row(app).param_name == "penalty"
        before, numbers_before = pane.result, metric_text(app)
        assert before.params.C == 1.0 and "30 / 30" in numbers_before
        chart = pane.query_one("#c-chart", Chart)
        drawing_before = chart._draw
        await pilot.press("down")
        assert focused_row(app).param_name == "C"
        await pilot.press("shift+right")  # a decade: C = 10, a point of the cached curve
        await settle(app, pilot)
        assert pane.params.C == 10.0
        assert pane.result.params.C == 10.0 and pane.result is not before
        assert pane.result.cv_accuracy_mean != before.cv_accuracy_mean
        assert f"{pane.result.cv_accuracy_mean:.4f}" in metric_text(app)
        assert metric_text(app) != numbers_before
        assert chart._draw is not drawing_before


async def test_classification_rapid_presses_end_on_the_last_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_tab(app, pilot, "3", "classification")
        shown = []
        original = pane.show_result
        pane.show_result = lambda result: (shown.append(result.params.C), original(result))
        await pilot.press("down", "right", "right", "right", "right")  # 10^(4 x 0.25)
        await settle(app, pilot)
        assert pane.params.C == 10.0
        assert pane.result.params == pane.params.effective()
        assert shown and shown[-1] == 10.0
        assert f"{pane.result.cv_accuracy_mean:.4f}" in metric_text(app)


async def test_classification_typed_penalty_none_dims_C_and_flattens_the_curve():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_tab(app, pilot, "3", "classification")
        assert irrelevant(pane, "l1_ratio") and not irrelevant(pane, "C")
        await pilot.press("enter")
        editor = app.focused
        assert isinstance(editor, Input)
        editor.value = ""
        await pilot.press(*"none", "enter")
        await settle(app, pilot)
        assert pane.params.penalty == "none" and pane.result.params.penalty == "none"
        assert irrelevant(pane, "C") and irrelevant(pane, "l1_ratio")
        assert len({row["accuracy"] for row in pane.result.by_C}) == 1  # C is unused
        assert "lbfgs" in metric_text(app)


async def test_grid_key_shows_the_heat_map_with_the_best_cell_at_80x24():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_tab(app, pilot, "3", "classification")
        heat_map = pane.query_one("#grid-map", HeatMap)
        coef_chart = pane.query_one("#coef-chart", Chart)
        assert not heat_map.display and coef_chart.display
        # iris: a 100-fit grid search in about a second (breast_cancer takes ~8 s).
        await pilot.press("down", "down", "down", "right", "right")
        await settle(app, pilot)
        assert pane.result.params.dataset == "iris"
        await pilot.press("g")
        await settle(app, pilot)
        grid = pane.result.grid
        assert pane.params.grid and grid is not None
        best = grid["best"]
        assert heat_map.best == (
            grid["Cs"].index(best["C"]),
            grid["l1_ratios"].index(best["l1_ratio"]),
        )
        assert f"{BEST_MARK}{best['roc_auc']:.3f}" in text_of(heat_map)
        assert f"{best['roc_auc']:.4f}" in metric_text(app)
        # At 80 columns the heat map takes the coefficient chart's place.
        assert heat_map.display and heat_map.region.width > 0
        assert coef_chart.region.width == 0
        await pilot.press("g")
        await settle(app, pilot)
        assert pane.result.grid is None
        assert heat_map.region.width == 0 and coef_chart.region.width > 0


async def test_partial_results_are_drawn_once_each():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_tab(app, pilot, "3", "classification")
        chart = pane.query_one("#c-chart", Chart)
        partial = dataclasses.replace(pane.result, by_C=pane.result.by_C[:5])
        pane.show_progress(Progress(0.5, "accuracy vs C", partial))
        drawn = chart._draw
        assert drawn is not None
        pane.show_progress(Progress(0.6, "accuracy vs C", partial))
        assert chart._draw is drawn  # the same partial is not drawn again
        await pilot.pause()


async def test_L_switches_the_top_chart_to_the_learning_curve_and_back():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_tab(app, pilot, "3", "classification")
        chart = pane.query_one("#c-chart", Chart)
        result = pane.result
        assert chart.chart_title == "CV accuracy and non-zero coefficients vs C"
        assert "C (log scale" in chart.render().plain
        await pilot.press("L")
        await pilot.pause()
        assert chart.chart_title == ("Learning curve: accuracy vs training rows (C=1, 5-fold CV)")
        shown = chart.render().plain
        assert "training rows per fit" in shown and "C (log scale" not in shown
        assert "train ± std" in shown and "CV ± std" in shown
        sizes = result.learning_curve["train_sizes"]
        assert all(str(size) in shown for size in sizes)  # the x ticks
        assert pane.result is result  # only the drawing changed
        await pilot.press("L")
        await pilot.pause()
        assert chart.chart_title == "CV accuracy and non-zero coefficients vs C"
        assert "C (log scale" in chart.render().plain
