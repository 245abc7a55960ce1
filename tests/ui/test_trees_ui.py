"""Drive the trees tab by keyboard: knobs refit, numbers and charts follow."""

from __future__ import annotations

import dataclasses

from reglab.widgets.chart import Chart
from reglab.widgets.job_status import JobStatus
from reglab.widgets.param_panel import ParamPanel
from tests.ui.helpers import (
    ReglabApp,
    focused_row,
    irrelevant,
    metric_text,
    open_tab,
    settle,
)


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
