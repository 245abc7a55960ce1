"""The bias-variance tab sweeping tree depth."""

from tests.snapshots.lab_snapshots import check_lab


def test_bias_variance_tree(snap_compare):
    # rounds typed down first: a tree sweep over the default 200 rounds takes over a second.
    keys = ("down", "down", "down", "enter", *["backspace"] * 3, "5", "0", "enter")
    assert check_lab(snap_compare, "bias-variance", (120, 40), *keys, "up", "up", "up", "right")
