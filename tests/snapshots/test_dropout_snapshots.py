"""The dropout tab's compare views after a finished, seeded training (default parameters:
early stopping ends p = 0.3 at epoch 27, about a second)."""

from tests.snapshots.lab_snapshots import check_lab


def test_dropout_compare(snap_compare):
    assert check_lab(snap_compare, "dropout", (120, 40), "c")


def test_dropout_compare_without_early_stopping(snap_compare):
    """``o``: dropout 0 trained all 200 epochs beside p = 0.3 (~6 s of training)."""
    assert check_lab(snap_compare, "dropout", (120, 40), "o")
