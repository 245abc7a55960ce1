"""The app frame: number keys, help, export, bad CSV, tab switching."""

from __future__ import annotations

import json

from reglab.screens.help import HelpScreen
from reglab.widgets.job_status import JobStatus
from tests.ui.helpers import ReglabApp, focused_row, settle


async def test_number_keys_help_and_export(tmp_path):
    app = ReglabApp(export_dir=tmp_path, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        assert app.current_pane.lab.name == "penalties"
        await pilot.press("1")
        assert app.current_pane.lab.name == "overfitting"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("e")
        (result,) = tmp_path.glob("*.json")
        assert json.loads(result.read_text())["lab"] == "overfitting"
        by_degree = tmp_path / result.name.replace(".json", "-by_degree.csv")
        assert by_degree.read_text().splitlines()[0] == "degree,train_mse,test_mse"


async def test_bad_csv_shows_a_message_and_the_app_keeps_running(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("a,y\n" + "".join(f"{i},{i}\n" for i in range(3)))
    app = ReglabApp(warm=False, export_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        good = pane.result
        panel = pane.query_one("ParamPanel")
        panel.set_params(
            panel.params.__class__(dataset="csv", data=str(csv), target="y"), changed="dataset"
        )
        await settle(app, pilot)
        assert any("at least 10" in n.message for n in app._notifications)
        assert pane.result is good  # the last good picture stays
        assert "at least 10" in pane.query_one(JobStatus).message
        await pilot.press("e")  # export says which result it wrote
        (written,) = (tmp_path / "out").glob("*.json")
        assert json.loads(written.read_text())["params"]["dataset"] != "csv"
        *_, exported = app._notifications
        assert exported.message.startswith("Wrote the last good result")
        assert "at least 10" in exported.message
        await pilot.press("1")
        assert app.current_pane.lab.name == "overfitting"


async def test_show_lab_before_first_paint_is_not_lost():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_lab("penalties")
        await settle(app, pilot)
        assert app.current_pane.lab.name == "penalties"
        assert app.current_pane.result.params.model == "lasso"


async def test_number_keys_switch_tabs_while_a_control_has_focus():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert focused_row(app).param_name == "degree"
        for key, lab in (("2", "penalties"), ("2", "penalties"), ("1", "overfitting")):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.current_pane.lab.name == lab
            assert app.current_pane in focused_row(app).ancestors
