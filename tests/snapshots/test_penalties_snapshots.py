"""The penalties tab's geometry view (v): two coefficients in their plane."""

from tests.snapshots.lab_snapshots import check_lab


def test_penalties_geometry_lasso_at_a_corner(snap_compare):
    # alpha 1 -> 10 (a decade) -> 31.6 (two quarter decades): the lasso has set x2 to
    # exactly 0, so the fit sits on the diamond's corner on the x8 axis.
    keys = ("down", "shift+right", "right", "right", "v")
    assert check_lab(snap_compare, "penalties", (120, 40), *keys)


def test_penalties_geometry_ridge(snap_compare):
    # model lasso -> ridge: the fit sits on the circle, neither coefficient 0.
    assert check_lab(snap_compare, "penalties", (120, 40), "left", "v")
