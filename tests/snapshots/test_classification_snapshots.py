"""The classification tab in grid mode."""

from tests.snapshots.lab_snapshots import check_lab


def test_classification_grid_mode_on_iris(snap_compare):
    # dataset is the fourth row: two steps right reach iris, whose 100-fit grid search
    # takes about a second; `g` turns grid mode on.
    keys = ("down", "down", "down", "right", "right", "g")
    assert check_lab(snap_compare, "classification", (120, 40), *keys)
