"""The overfitting tab with a ridge penalty."""

from tests.snapshots.lab_snapshots import check_lab


def test_overfitting_with_ridge(snap_compare):
    # alpha from 0: one press reaches the floor, shift+right adds a decade each.
    keys = ("down", "right", "shift+right", "shift+right", "shift+right", "shift+right")
    assert check_lab(snap_compare, "overfitting", (120, 40), *keys)
