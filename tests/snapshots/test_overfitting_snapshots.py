"""The overfitting tab with a ridge penalty."""

from tests.snapshots.lab_snapshots import check_lab


def test_overfitting_with_ridge(snap_compare):
    # alpha from 0: one press reaches the low end of the data's ridge range (1.9e-8 for the
    # degree-14 features), shift+right adds a decade and right a quarter: on to alpha 1.
    keys = ("down", "right", *["shift+right"] * 7, "right", "right", "right")
    assert check_lab(snap_compare, "overfitting", (120, 40), *keys)
