"""The key fuzzer in CI: a few hundred seeded keys per lab, then the shown numbers must be
the core's for the shown parameters. ``make fuzz`` runs the long version."""

from __future__ import annotations

import pytest

from reglab.core.registry import LABS
from tests.fuzz.driver import fuzz_lab, guarded_labs

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
