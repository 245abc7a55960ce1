"""One owner of the GIL switch interval: frames and long jobs, in any interleaving, and the
interval found before either comes back after both."""

from __future__ import annotations

import sys

import pytest

from reglab.compute.switch_interval import (
    FRAME_SWITCH_INTERVAL,
    UI_SWITCH_INTERVAL,
    SwitchInterval,
)


@pytest.fixture
def found():
    """A known interval to start from, and the test's own restored after."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.004)
    yield sys.getswitchinterval()
    sys.setswitchinterval(before)


def now() -> float:
    return sys.getswitchinterval()


def test_a_frame_inside_a_long_job(found):
    owner = SwitchInterval()
    owner.long_job_began()
    assert now() == pytest.approx(UI_SWITCH_INTERVAL)
    with owner.frame():
        assert now() == pytest.approx(FRAME_SWITCH_INTERVAL)
    assert now() == pytest.approx(UI_SWITCH_INTERVAL)  # the job runs on
    owner.long_job_ended()
    assert now() == found


def test_a_long_job_that_begins_and_ends_during_frames(found):
    owner = SwitchInterval()
    with owner.frame():
        owner.long_job_began()
        assert now() == pytest.approx(FRAME_SWITCH_INTERVAL)  # the frame goes first
    assert now() == pytest.approx(UI_SWITCH_INTERVAL)
    with owner.frame():
        owner.long_job_ended()
    assert now() == found  # not the interval of the frame or of the job


def test_overlapping_long_jobs_and_nested_frames(found):
    owner = SwitchInterval()
    owner.long_job_began()
    owner.long_job_began()
    with owner.frame(), owner.frame():
        assert now() == pytest.approx(FRAME_SWITCH_INTERVAL)
    owner.long_job_ended()
    assert now() == pytest.approx(UI_SWITCH_INTERVAL)  # one still runs
    owner.long_job_ended()
    assert now() == found


def test_an_interval_changed_while_idle_is_the_one_restored(found):
    owner = SwitchInterval()
    with owner.frame():
        pass
    sys.setswitchinterval(0.003)
    expected = now()
    owner.long_job_began()
    owner.long_job_ended()
    assert now() == expected
