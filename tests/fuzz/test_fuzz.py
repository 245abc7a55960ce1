"""The key fuzzer in CI: a few hundred seeded keys per lab, then the shown numbers must be
the core's for the shown parameters. ``make fuzz`` runs the long version."""

from __future__ import annotations

import dataclasses

import pytest

from reglab.core.registry import LABS
from tests.fuzz.driver import fuzz_lab, guarded_labs, shows_current_numbers
from tests.ui.helpers import ReglabApp, settle

CI_KEYS = 250


@pytest.fixture
def guarded():
    with guarded_labs():
        yield


@pytest.mark.parametrize("lab", list(LABS))
async def test_random_keys_never_crash_or_leave_stale_numbers(lab, guarded, tmp_path):
    report = await fuzz_lab(lab, seed=1, keys=CI_KEYS, export_dir=tmp_path)
    assert report.keys_sent == CI_KEYS
    assert not report.crashes, "\n".join(map(str, report.crashes))
    assert not report.stale, report.stale
    assert report.checked, "no lab's numbers were compared: the check proved nothing"


async def test_the_stale_check_catches_numbers_of_other_parameters():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        assert shows_current_numbers(pane)
        current = pane.result
        other = pane.lab.run(dataclasses.replace(pane.params, degree=3))
        pane.result = other  # a stale result kept
        assert not shows_current_numbers(pane)
        pane.result = current
        pane.show_result(other)  # the right result, but the table drawn from a stale one
        pane.result = current
        assert not shows_current_numbers(pane)
