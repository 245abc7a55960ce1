"""SVG snapshots of the classification and trees tabs at 120x40 and 80x24."""

from __future__ import annotations

import pytest

from tests.snapshots.lab_snapshots import SIZES, check_lab


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lab", ["classification", "trees"])
def test_lab_default(snap_compare, lab, size):
    assert check_lab(snap_compare, lab, size)


def test_classification_grid_mode_on_iris(snap_compare):
    # dataset is the fourth row: two steps right reach iris, whose 100-fit grid search
    # takes about a second; `g` turns grid mode on.
    keys = ("down", "down", "down", "right", "right", "g")
    assert check_lab(snap_compare, "classification", (120, 40), *keys)
