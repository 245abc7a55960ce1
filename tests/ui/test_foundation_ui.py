"""Drive the app by keyboard: controls change params, refits run, numbers and charts follow."""

from __future__ import annotations

import json
import threading

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from reglab.compute import JobDone, LabRunner
from reglab.screens.help import HelpScreen
from reglab.widgets.chart import Chart
from reglab.widgets.job_status import JobStatus
from tests.ui.helpers import ReglabApp, focused_row, metric_text, settle


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


async def test_rapid_presses_end_on_the_last_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        shown = []
        original = pane.show_result
        pane.show_result = lambda result: (shown.append(result.params.degree), original(result))
        await pilot.press("left", "left", "left", "left", "left", "left", "left", "left")
        await settle(app, pilot)
        assert pane.params.degree == 6
        assert pane.result.params == pane.params
        # Whatever was shown along the way, the last picture is of the newest params.
        assert shown and shown[-1] == pane.params.degree
        assert f"{pane.result.train_mse:.4f}" in metric_text(app)


async def test_shift_arrow_takes_a_decade_and_r_resets():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        await pilot.press("down")
        assert focused_row(app).param_name == "alpha"
        await pilot.press("shift+right")
        await settle(app, pilot)
        assert pane.params.alpha == 10.0 and pane.result.params.alpha == 10.0
        await pilot.press("r")
        await settle(app, pilot)
        assert pane.params.alpha == 1.0 and pane.result.params.alpha == 1.0


async def test_typed_value_applies_and_a_bad_one_is_kept_for_fixing():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        await pilot.press("down", "enter")
        editor = app.focused
        assert isinstance(editor, Input)
        editor.value = ""
        await pilot.press(*"abc", "enter")
        assert isinstance(app.focused, Input) and app.focused.value == "abc"
        assert pane.params.alpha == 0.0
        assert any("alpha:" in n.message for n in app._notifications)
        app.focused.value = ""
        await pilot.press(*"2.5", "enter")
        await settle(app, pilot)
        assert pane.params.alpha == 2.5 and pane.result.params.alpha == 2.5
        assert focused_row(app).param_name == "alpha"
        await pilot.press("enter", "escape")
        assert focused_row(app).param_name == "alpha" and pane.params.alpha == 2.5


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
        files = sorted(tmp_path.iterdir())
        assert [f.suffix for f in files] == [".csv", ".json"]
        assert json.loads(files[1].read_text())["lab"] == "overfitting"
        assert files[0].read_text().splitlines()[0] == "degree,train_mse,test_mse"


async def test_bad_csv_shows_a_message_and_the_app_keeps_running(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("a,y\n" + "".join(f"{i},{i}\n" for i in range(3)))
    app = ReglabApp(warm=False)
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
        await pilot.press("1")
        assert app.current_pane.lab.name == "overfitting"


class RunnerHostWidget(Static):
    """Owns a LabRunner whose fake job blocks on "slow" until the test releases it."""

    def __init__(self, cancel_running: bool = False) -> None:
        super().__init__()
        self.release = threading.Event()
        self.started: list[str] = []
        self.shown: list[str] = []
        self.runner = LabRunner(self, "fake", self.compute, cancel_running=cancel_running)

    def compute(self, params, progress, cancelled):
        self.started.append(params)
        if params == "slow":
            self.release.wait(5)
        return params

    def on_job_done(self, message: JobDone) -> None:
        if self.runner.finished(message):
            self.shown.append(message.result)


class RunnerHost(App):
    def __init__(self, cancel_running: bool = False) -> None:
        super().__init__()
        self.cancel_running = cancel_running

    def compose(self) -> ComposeResult:
        yield RunnerHostWidget(self.cancel_running)


async def wait_until_idle(app: App, host: RunnerHostWidget, pilot) -> None:
    for _ in range(500):
        if not host.runner.busy:
            break
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()


async def test_runner_coalesces_and_never_shows_a_stale_result():
    app = RunnerHost()
    async with app.run_test() as pilot:
        host = app.query_one(RunnerHostWidget)
        host.runner.submit("slow")
        await pilot.pause()
        for params in ("b", "c", "newest"):
            host.runner.submit(params)
        host.release.set()
        await wait_until_idle(app, host, pilot)
        # "slow" finished but was stale; "b" and "c" were replaced while pending.
        assert host.started == ["slow", "newest"]
        assert host.shown == ["newest"]


async def test_a_job_replaced_before_its_thread_starts_still_reports_back():
    app = RunnerHost(cancel_running=True)
    async with app.run_test() as pilot:
        host = app.query_one(RunnerHostWidget)
        host.release.set()
        # Both submits happen before the first worker's thread can start.
        host.runner.submit("first")
        host.runner.submit("second")
        await wait_until_idle(app, host, pilot)
        assert not host.runner.busy
        assert host.shown == ["second"]


async def test_show_lab_before_first_paint_is_not_lost():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_lab("penalties")
        await settle(app, pilot)
        assert app.current_pane.lab.name == "penalties"
        assert app.current_pane.result.params.model == "lasso"


async def test_stepping_from_auto_starts_at_the_effective_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        pane = app.current_pane
        assert pane.params.max_depth == "auto" and pane.result.params.max_depth == 5
        await pilot.press("down", "right")
        await settle(app, pilot)
        assert pane.params.max_depth == 6 and pane.result.params.max_depth == 6


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
