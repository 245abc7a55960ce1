"""A bug (not the user's input) is reported in one line that names the log file, and the
log keeps its traceback; the session goes on."""

from __future__ import annotations

from reglab.errorlog import log_file
from reglab.widgets.job_status import JobStatus

from .helpers import ReglabApp, settle


def broken_computation(params, progress=None, cancelled=None):
    raise KeyError("a bug in the computation")


async def test_a_failing_computation_is_logged_and_named_in_the_notice(monkeypatch):
    app = ReglabApp(warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        monkeypatch.setattr(pane.runner, "compute", broken_computation)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        status = pane.query_one(JobStatus).message
        notices = [n.message for n in app._notifications]
        assert status.startswith("✗ KeyError")
        assert any(str(log_file()) in notice for notice in notices), notices
        assert "a bug in the computation" in log_file().read_text()
        assert "Traceback (most recent call last)" in log_file().read_text()
        await pilot.press("right")  # the session goes on: a new value computes again
        monkeypatch.undo()


async def test_a_failing_action_is_logged_and_the_app_keeps_running(monkeypatch):
    app = ReglabApp(warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)

        def broken_export() -> None:
            raise RuntimeError("a bug in an action")

        monkeypatch.setattr(app, "action_export", broken_export)
        await pilot.press("e")
        await pilot.pause()
        assert app.is_running
        assert any("a bug in an action" in n.message for n in app._notifications)
        assert "RuntimeError: a bug in an action" in log_file().read_text()
