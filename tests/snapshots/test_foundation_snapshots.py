"""SVG snapshots of the overfitting and penalties tabs at 120x40 and 80x24."""

import pytest

from tests.snapshots.lab_snapshots import SIZES, check_lab


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lab", ["overfitting", "penalties"])
def test_lab_default(snap_compare, lab, size):
    assert check_lab(snap_compare, lab, size)


def test_overfitting_with_ridge(snap_compare):
    # alpha from 0: one press reaches the floor, shift+right adds a decade each.
    assert check_lab(
        snap_compare,
        "overfitting",
        (120, 40),
        "down",
        "right",
        "shift+right",
        "shift+right",
        "shift+right",
        "shift+right",
    )
