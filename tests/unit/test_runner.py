"""The lab runner: coalescing, stale results dropped, jobs replaced before they start."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult
from textual.widgets import Static

from reglab.compute import JobDone, LabRunner
from reglab.core.jobs import Progress


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
        if params == "long":  # a long job reports its progress until released
            while not self.release.wait(0.005):
                progress(Progress(0.5))
        return params

    def on_job_done(self, message: JobDone) -> None:
        if self.runner.accept(message):
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


async def test_cancel_while_idle_changes_nothing():
    app = RunnerHost()
    async with app.run_test() as pilot:
        host = app.query_one(RunnerHostWidget)
        host.runner.submit("a")
        await wait_until_idle(app, host, pilot)
        generation = host.runner.generation
        assert host.runner.cancel() is False
        assert host.runner.generation == generation  # the shown result is still the newest
        assert host.shown == ["a"]


async def test_a_cancelled_job_never_shows_its_result():
    app = RunnerHost()
    async with app.run_test() as pilot:
        host = app.query_one(RunnerHostWidget)
        host.runner.submit("slow")
        await pilot.pause()
        assert host.runner.cancel() is True
        host.release.set()
        await wait_until_idle(app, host, pilot)
        assert host.started == ["slow"] and host.shown == []


async def test_the_gil_switch_interval_is_short_only_while_a_long_job_runs():
    import sys

    from reglab.compute.switch_interval import UI_SWITCH_INTERVAL

    original = sys.getswitchinterval()
    app = RunnerHost()
    async with app.run_test() as pilot:
        host = app.query_one(RunnerHostWidget)
        host.runner.submit("quick")
        await wait_until_idle(app, host, pilot)
        assert sys.getswitchinterval() == original  # a quick job leaves it as it was
        host.runner.submit("long")
        for _ in range(500):
            if sys.getswitchinterval() <= UI_SWITCH_INTERVAL:
                break
            await pilot.pause(0.01)
        assert sys.getswitchinterval() <= UI_SWITCH_INTERVAL < original
        host.release.set()
        await wait_until_idle(app, host, pilot)
        assert sys.getswitchinterval() == original
