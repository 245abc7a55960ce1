"""The production tab's views (its default view, CV honesty, is in test_lab_defaults)."""

import pytest

from tests.snapshots.lab_snapshots import check_lab


@pytest.mark.parametrize("key", ["w", "k", "d"])
def test_production_view_120x40(snap_compare, key):
    assert check_lab(snap_compare, "production", (120, 40), key)


@pytest.mark.parametrize("key", ["w", "d"])
def test_production_view_80x24(snap_compare, key):
    assert check_lab(snap_compare, "production", (80, 24), key)
