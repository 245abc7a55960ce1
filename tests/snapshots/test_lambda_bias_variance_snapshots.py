"""SVG snapshots of the lambda and bias-variance tabs at 120x40 and 80x24."""

import pytest

from tests.snapshots.lab_snapshots import SIZES, check_lab


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lab", ["lambda", "bias-variance"])
def test_lab_default(snap_compare, lab, size):
    assert check_lab(snap_compare, lab, size)


def test_lambda_at_alpha_1se(snap_compare):
    assert check_lab(snap_compare, "lambda", (120, 40), "m")


def test_bias_variance_tree(snap_compare):
    # rounds typed down first: a tree sweep over the default 200 rounds takes over a second.
    keys = ("down", "down", "down", "enter", *["backspace"] * 3, "5", "0", "enter")
    assert check_lab(snap_compare, "bias-variance", (120, 40), *keys, "up", "up", "up", "right")
