"""The status line of a sweeping lab names where its units run and counts them."""

from __future__ import annotations

import re

from reglab.app import ReglabApp
from reglab.core.registry import LABS
from reglab.core.spec import with_values
from reglab.labs import pane_class
from reglab.snapshot import settle
from reglab.widgets.job_status import JobStatus


async def test_the_status_line_counts_units_and_names_the_backend(monkeypatch):
    shown: list[str] = []
    running = JobStatus.running

    def record(status: JobStatus, progress=None) -> None:
        running(status, progress)
        shown.append(status.message)

    monkeypatch.setattr(JobStatus, "running", record)
    # Every progress message reaches the status line: the search now takes a few ms, less
    # than the interval the runner otherwise keeps between two messages.
    monkeypatch.setattr(pane_class(LABS["lambda"]), "PROGRESS_INTERVAL", 0.0)
    start = with_values(LABS["lambda"].params(), {"workers": "2", "folds": "4"})
    app = ReglabApp(warm=False, start_lab="lambda", start_params=start)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        assert pane.result is not None and len(pane.result.fold_scores) == 4
    counted = [m for m in shown if re.match(r"folds [0-4]/4 · local, 2 workers", m)]
    assert counted, shown


def test_the_app_keeps_a_core_for_the_screen():
    from reglab.core import sweep

    sweep.reserve_cores(0)  # as the CLI runs
    every_core = sweep.all_workers()
    ReglabApp(warm=False)
    assert sweep.all_workers() == max(1, every_core - 1)
