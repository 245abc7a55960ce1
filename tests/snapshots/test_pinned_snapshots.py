"""A pinned run drawn under the live one, with the pin table: three labs."""

from tests.snapshots.lab_snapshots import check_lab


def test_overfitting_pinned_degree_3_against_14(snap_compare):
    # Pin degree 14, then eleven steps down to 3: the wild fit stays, grey, under the calm one.
    keys = ("p", *["left"] * 11)
    assert check_lab(snap_compare, "overfitting", (120, 40), *keys)


def test_penalties_pinned_lasso_against_ridge(snap_compare):
    # Pin the lasso, then ridge: its markers sit on the ridge's bars and paths.
    assert check_lab(snap_compare, "penalties", (120, 40), "p", "left")


def test_lambda_pinned_against_elastic_net(snap_compare):
    assert check_lab(snap_compare, "lambda", (120, 40), "p", "right")
