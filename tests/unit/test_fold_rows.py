"""The fold helpers that avoid copies give the bits of the straightforward expressions: the
lambda lab's (they keep ``LassoCV``'s fold MSEs, checked in test_lambda) and the penalties
lab's fold errors (``cross_val_score``'s)."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from reglab.core.datasets import Dataset
from reglab.core.fold_rows import BLOCK_ROWS, held_out_rows, training_rows
from reglab.core.lambda_finder.compute import _mean_squares
from reglab.core.penalties.compute import cv_mse


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.normal(size=(3 * BLOCK_ROWS + 17, 20)) * 3 + 1)
    return X, rng.normal(size=len(X))


def test_training_rows_is_the_fortran_copy_and_its_mean(data):
    X, _ = data
    rows = np.r_[0:1000, 2 * BLOCK_ROWS : len(X)]  # a KFold training fold: two runs
    copy, mean = training_rows(X, rows)
    assert copy.flags.f_contiguous
    assert np.array_equal(copy, X[rows])
    assert np.array_equal(mean, X[rows].mean(axis=0))  # exactly: same order of additions


def test_mean_squares_by_blocks_matches_the_whole_expression(data):
    X, y = data
    coefs = np.random.default_rng(1).normal(size=(20, 50))
    offsets = np.linspace(-1, 1, 50)
    test = np.arange(BLOCK_ROWS // 2, len(X))
    X_test, y_test = held_out_rows(X, test), held_out_rows(y, test)
    expected = np.mean((X[test] @ coefs + offsets - y[test][:, None]) ** 2, axis=0)
    assert np.array_equal(_mean_squares(X_test, coefs, offsets, y_test), expected)


def test_held_out_rows_are_a_view_only_for_one_run(data):
    X, _ = data
    assert np.shares_memory(held_out_rows(X, np.arange(5, 50)), X)
    scattered = np.array([1, 3, 4])
    assert not np.shares_memory(held_out_rows(X, scattered), X)
    assert np.array_equal(held_out_rows(X, scattered), X[scattered])


@pytest.mark.parametrize(
    "estimator",
    [
        Lasso(alpha=0.05),
        Lasso(alpha=2.0),
        ElasticNet(alpha=0.3, l1_ratio=0.2),
        Ridge(alpha=1.0),
        LinearRegression(),
        make_pipeline(StandardScaler(), Lasso(alpha=0.1)),
    ],
    ids=["lasso", "lasso-strong", "enet", "ridge", "linear", "scaled-lasso"],
)
@pytest.mark.parametrize("order", ["F", "C"])
def test_penalties_fold_errors_are_cross_val_scores(data, estimator, order):
    """Lasso and elastic net fit each training fold gathered in Fortran order, in place;
    the numbers are still cross_val_score's, exactly."""
    X, y = data
    X = np.array(X[:5003], order=order)  # folds of unequal size
    y = X[:, :5] @ np.arange(1.0, 6.0) + y[:5003]
    dataset = Dataset(X, y, tuple(f"x{i}" for i in range(20)), "test")
    scores = -cross_val_score(estimator, X, y, cv=KFold(5), scoring="neg_mean_squared_error")
    assert cv_mse(estimator, dataset, 5) == (float(scores.mean()), float(scores.std()))
