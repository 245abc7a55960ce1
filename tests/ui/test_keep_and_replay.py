"""What the app keeps: settings through a restart (and a corrupt file), and a recorded
keyboard session replayed — headless to ``reglab run``'s numbers, and in the app."""

from __future__ import annotations

import io

from reglab import session, settings
from reglab.core.registry import LABS
from reglab.labs import LabTab
from tests.ui.helpers import ReglabApp, settle

SIZE = (120, 40)


def app_keeping(path, **options) -> ReglabApp:
    return ReglabApp(warm=False, settings=settings.load(path), settings_path=path, **options)


async def test_settings_survive_a_restart(tmp_path):
    path = tmp_path / "settings.json"
    app = app_keeping(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("left", "down", "shift+left")  # lasso -> ridge; alpha down a lot
        await settle(app, pilot)
        app.theme = "nord"
        changed = app.current_pane.params
        assert (changed.model, changed.alpha < 1) == ("ridge", True)
    assert path.exists()  # written on the way out at the latest

    again = app_keeping(path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord"
        pane = again.current_pane
        assert pane.lab.name == "penalties" and pane.params == changed
        assert pane.result.params.alpha == changed.alpha  # and that is what it computed
        assert not again._notifications  # nothing to report


async def test_a_corrupt_settings_file_gives_defaults_and_a_notice(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"version": 1, "lab": ')
    app = app_keeping(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.current_pane.lab.name == "overfitting"
        assert app.current_pane.params == LABS["overfitting"].params()
        (notice,) = app._notifications
        assert str(path) in notice.message and notice.title == "Saved settings"
    assert (tmp_path / "settings.json.bad").read_text() == '{"version": 1, "lab": '


async def record_a_session(path) -> object:
    """Keys on two labs, recorded; returns the last lab's final parameters."""
    recorder = session.Recorder(path, "overfitting")
    app = ReglabApp(warm=False, recorder=recorder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("right", "right")  # overfitting: degree up twice
        await settle(app, pilot)
        app.set_focus(None)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("left", "down", "shift+left", "left")  # ridge, alpha down
        await settle(app, pilot)
        return app.current_pane.params


async def test_a_recorded_session_replays_headless_to_runs_numbers(tmp_path, cli_json):
    path = tmp_path / "session.jsonl"
    final = await record_a_session(path)
    steps = session.read_session(path)
    assert [s.event for s in steps][:2] == ["start", "params"]
    assert {s.lab for s in steps if s.event == "params"} == {"overfitting", "penalties"}
    assert any(s.event == "tab" and s.lab == "penalties" for s in steps)
    out = io.StringIO()
    last = session.replay_headless(steps, out)
    assert len(out.getvalue().splitlines()) == sum(s.event == "params" for s in steps)
    settings_given = [f"{k}={v}" for k, v in session.changed_values(final).items()]
    assert last == LABS["penalties"].key_values(cli_json("penalties", *settings_given))


async def test_a_recorded_session_replays_in_the_app(tmp_path):
    path = tmp_path / "session.jsonl"
    final = await record_a_session(path)
    replay = session.Replay(session.read_session(path), speed=100)
    app = ReglabApp(warm=False, start_lab="overfitting", replay=replay)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(100):  # the replay runs as a worker: wait until it says it finished
            if any(n.message == "Replay finished." for n in app._notifications):
                break
            await pilot.pause(0.05)
        await settle(app, pilot)
        pane = app.current_pane
        assert pane.lab.name == "penalties" and pane.params == final
        assert pane.result.params == final
        overfitting = app.query_one("#overfitting", LabTab).pane
        assert overfitting.params.degree == LABS["overfitting"].params().degree + 2
