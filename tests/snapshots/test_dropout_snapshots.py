"""SVG snapshots of the dropout tab after a finished, seeded training (default parameters:
early stopping ends it at epoch 20, under a second), and of the compare view."""

import pytest

from tests.snapshots.lab_snapshots import SIZES, check_lab


def check_dropout(snap_compare, size: tuple[int, int], *keys: str) -> bool:
    return check_lab(snap_compare, "dropout", size, *keys)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dropout_default(snap_compare, size):
    assert check_dropout(snap_compare, size)


def test_dropout_compare(snap_compare):
    assert check_dropout(snap_compare, (120, 40), "c")
