"""Drive the classification and trees tabs by keyboard: knobs refit, numbers and charts follow.

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
from reglab.widgets.job_status import JobStatus
from reglab.widgets.param_panel import ParamPanel
from tests.ui.helpers import ReglabApp, focused_row, metric_text, settle


async def open_tab(app: ReglabApp, pilot, key: str, lab: str):
    """Wait for the first lab, then press ``key``. Focus leaves the first lab's controls
    first: a focused row in the tab being left can pull that tab back (TabPane.Focused)."""
    await settle(app, pilot)
    app.set_focus(None)
    await pilot.press(key)
    await settle(app, pilot)
    pane = app.current_pane
    assert pane.lab.name == lab
    return pane


def text_of(heat_map: HeatMap) -> str:
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(heat_map.content)
    return console.export_text()


def irrelevant(pane, name: str) -> bool:
    return pane.query_one(ParamPanel).row(name).has_class("-irrelevant")


# --- classification -------------------------------------------------------------------


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


# --- trees ------------------------------------------------------------------------------


async def test_trees_max_depth_from_auto_refits_and_updates_numbers():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_tab(app, pilot, "4", "trees")
        assert focused_row(app).param_name == "model"
        before, numbers_before = pane.result, metric_text(app)
        assert before.params.max_depth == 5 and "leaves 14" in numbers_before
        assert irrelevant(pane, "n_estimators") and irrelevant(pane, "learning_rate")
        assert not irrelevant(pane, "min_samples_split")
        assert not pane.query_one("#ensemble-chart", Chart).display
        await pilot.press("down")
        assert focused_row(app).param_name == "max_depth"
        await pilot.press("left")  # auto steps from the tree's reference depth, 5
        await settle(app, pilot)
        assert pane.params.max_depth == 4 and pane.result.params.max_depth == 4
        assert pane.result.n_leaves != before.n_leaves
        assert f"leaves {pane.result.n_leaves}" in metric_text(app)
        assert metric_text(app) != numbers_before
        assert pane.result.by_depth[-1]["max_depth"] is None


async def test_trees_rapid_presses_end_on_the_last_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_tab(app, pilot, "4", "trees")
        shown = []
        original = pane.show_result
        pane.show_result = lambda result: (
            shown.append(result.params.min_samples_split),
            original(result),
        )
        await pilot.press("down", "down")
        assert focused_row(app).param_name == "min_samples_split"
        await pilot.press(*["right"] * 6)
        await settle(app, pilot)
        assert pane.params.min_samples_split == 16
        assert pane.result.params == pane.params.effective()
        assert shown and shown[-1] == 16
        assert f"{pane.result.test_accuracy:.4f}" in metric_text(app)


async def test_trees_model_key_switches_to_forest_with_its_curve():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_tab(app, pilot, "4", "trees")
        # iris keeps the forest and its validation curve quick.
        await pilot.press(*["down"] * 10)
        assert focused_row(app).param_name == "dataset"
        await pilot.press("right", "right")
        await settle(app, pilot)
        assert pane.result.params.dataset == "iris"
        await pilot.press("m")
        await settle(app, pilot)
        assert pane.params.model == "forest" and pane.result.by_trees is not None
        assert len(pane.result.by_trees) == pane.params.n_estimators
        assert pane.query_one("#ensemble-chart", Chart).display
        assert "best n_trees" in metric_text(app) and "leaves" not in metric_text(app)
        assert irrelevant(pane, "min_samples_split") and not irrelevant(pane, "n_estimators")
        assert irrelevant(pane, "learning_rate")


# --- bad data -----------------------------------------------------------------------------


async def test_single_class_csv_shows_an_error_and_keeps_the_last_good_result(tmp_path):
    csv = tmp_path / "one_class.csv"
    csv.write_text("a,b,y\n" + "".join(f"{i},{i * i % 7},1\n" for i in range(30)))
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for key, lab in (("3", "classification"), ("4", "trees")):
            pane = await open_tab(app, pilot, key, lab)
            good, numbers = pane.result, metric_text(app)
            panel = pane.query_one(ParamPanel)
            panel.set_params(
                dataclasses.replace(panel.params, dataset="csv", data=str(csv), target="y"),
                changed="dataset",
            )
            await settle(app, pilot)
            errors = [n for n in app._notifications if n.severity == "error"]
            assert any("single class" in n.message for n in errors), lab
            assert pane.result is good and metric_text(app) == numbers
            assert "single class" in pane.query_one(JobStatus).message
        assert app.is_running
        await open_tab(app, pilot, "1", "overfitting")
