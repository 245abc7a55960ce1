"""The penalties lab's in-place least squares gives scipy's and scikit-learn's bits, and
really solves in place (the reason it exists: one copy of a training fold, not two)."""

import tracemalloc

import numpy as np
import pytest
import scipy.linalg
from sklearn.linear_model import LinearRegression

from reglab.core.least_squares import fit_linear_regression, lstsq_in_place


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(4000, 12)) * 5 + 2
    X[:, 11] = X[:, 3] - 2 * X[:, 7]  # rank deficient: the cut-off (cond) matters
    return X, X[:, :4] @ [1.0, -2.0, 0.5, 3.0] + rng.normal(size=len(X))


@pytest.mark.parametrize("order", ["C", "F"])
def test_fit_is_linear_regressions_exactly(data, order):
    X, y = data
    X = np.array(X, order=order)
    rows = np.r_[0:1500, 2200:4000]
    expected = LinearRegression().fit(X[rows], y[rows])
    model = fit_linear_regression(X, y, rows)
    assert model.rank_ == expected.rank_ == 11
    assert np.array_equal(model.coef_, expected.coef_)
    assert model.intercept_ == expected.intercept_
    assert np.array_equal(model.singular_, expected.singular_)
    assert np.array_equal(model.predict(X[:50]), expected.predict(X[:50]))


def test_lstsq_in_place_is_scipys_and_overwrites(data):
    X, y = data
    a = np.asfortranarray(X)
    solution, residues, rank, singular = scipy.linalg.lstsq(a, y, cond=1e-6)
    tracemalloc.start()
    ours = lstsq_in_place(a, y, 1e-6)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert np.array_equal(ours[0], solution) and ours[1] == rank
    assert np.array_equal(ours[2], singular)
    assert peak < a.nbytes / 4, "gelsd was given a copy of the matrix"
    assert not np.array_equal(a, X), "the matrix was solved in place"


def test_lstsq_in_place_refuses_what_it_cannot_solve_in_place(data):
    X, y = data
    with pytest.raises(ValueError, match="Fortran"):
        lstsq_in_place(np.ascontiguousarray(X), y, 1e-6)


def test_wide_folds_fall_back_to_linear_regression():
    """More features than a fold's rows: gelsd's in-place path does not apply; the fold
    errors are still cross_val_score's."""
    from sklearn.model_selection import KFold, cross_val_score

    from reglab.core.datasets import Dataset
    from reglab.core.penalties.compute import cv_mse

    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(25, 30)), rng.normal(size=25)
    dataset = Dataset(X, y, tuple(f"x{i}" for i in range(30)), "wide")
    scores = -cross_val_score(
        LinearRegression(), X, y, cv=KFold(5), scoring="neg_mean_squared_error"
    )
    assert cv_mse(LinearRegression(), dataset, 5) == (float(scores.mean()), float(scores.std()))
