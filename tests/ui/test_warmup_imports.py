"""A lab's job imports its computation only while the warm-up is not importing."""

from __future__ import annotations

import threading

from reglab.compute import warmup
from tests.ui.helpers import ReglabApp, settle


async def test_a_job_waits_while_the_warm_up_imports():
    import reglab.core.penalties.compute  # noqa: F401 - imported: the job itself is quick

    holding, release = threading.Event(), threading.Event()

    def warm_up_importing() -> None:
        with warmup.IMPORT_LOCK:
            holding.set()
            release.wait(30)

    importer = threading.Thread(target=warm_up_importing, daemon=True)
    importer.start()
    holding.wait(30)
    app = ReglabApp(warm=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("2")  # the penalties lab starts its first job
            pane = app.current_pane
            for _ in range(20):
                await pilot.pause(0.01)
            assert pane.lab.name == "penalties" and pane.runner.busy and pane.result is None
            release.set()
            await settle(app, pilot)
            assert pane.result is not None
    finally:
        release.set()
        importer.join(30)


def test_the_warm_up_is_a_daemon_thread_that_quitting_does_not_wait_for():
    """A Textual thread worker is joined when the app exits: waiting for the import lock
    behind a job importing torch, the warm-up held the exit about 2 s."""
    with warmup.IMPORT_LOCK:  # a job importing its computation
        thread = warmup.start_warm_up()
        assert thread.daemon and thread.is_alive()
    thread.join(60)
    assert not thread.is_alive()
