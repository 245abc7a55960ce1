"""The dropout tab's compare view after a finished, seeded training (default parameters:
early stopping ends it at epoch 20, under a second)."""

from tests.snapshots.lab_snapshots import check_lab


def test_dropout_compare(snap_compare):
    assert check_lab(snap_compare, "dropout", (120, 40), "c")
