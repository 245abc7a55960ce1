"""The lambda lab's fold helpers that avoid copies give the bits of the straightforward
expressions (they keep ``LassoCV``'s fold MSEs, checked in test_lambda)."""

import numpy as np
import pytest

from reglab.core.lambda_finder.compute import BLOCK_ROWS, _mean_squares, _rows, training_rows


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
    X_test, y_test = _rows(X, test), _rows(y, test)
    expected = np.mean((X[test] @ coefs + offsets - y[test][:, None]) ** 2, axis=0)
    assert np.array_equal(_mean_squares(X_test, coefs, offsets, y_test), expected)


def test_rows_is_a_view_only_for_one_run(data):
    X, _ = data
    assert np.shares_memory(_rows(X, np.arange(5, 50)), X)
    scattered = np.array([1, 3, 4])
    assert not np.shares_memory(_rows(X, scattered), X)
    assert np.array_equal(_rows(X, scattered), X[scattered])
