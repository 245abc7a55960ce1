"""The lambda tab showing alpha_1se."""

from tests.snapshots.lab_snapshots import check_lab


def test_lambda_at_alpha_1se(snap_compare):
    assert check_lab(snap_compare, "lambda", (120, 40), "m")
