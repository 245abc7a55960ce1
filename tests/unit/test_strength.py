"""The data's alpha range (reglab.core.strength) against scikit-learn's own fits."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_regression
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from reglab.core.errors import DataError
from reglab.core.strength import alpha_grid, alpha_range, outside_note


@pytest.fixture(scope="module")
def prices():
    """Real-scale data: features in the 1000s, a target in the 100 000s."""
    X, y = make_regression(200, 8, n_informative=8, noise=5, random_state=3)
    return X * 1000 + 2000, y * 2000 + 300_000


@pytest.mark.parametrize(("model", "l1_ratio"), [("lasso", 1.0), ("elasticnet", 0.5)])
def test_alpha_max_is_where_every_coefficient_becomes_zero(prices, model, l1_ratio):
    X, y = prices
    low, high = alpha_range(X, y, model, l1_ratio)
    assert low == pytest.approx(high * 1e-4)

    def fit(alpha: float) -> np.ndarray:
        estimator = Lasso(alpha=alpha) if model == "lasso" else ElasticNet(alpha, l1_ratio=0.5)
        return estimator.fit(X, y).coef_

    assert np.count_nonzero(fit(high * 1.001)) == 0
    assert np.count_nonzero(fit(high * 0.9)) >= 1
    assert np.count_nonzero(fit(low)) == 8
    assert high > 1e6  # far past the old fixed cap of 1e3


def test_ridge_spans_its_shrinkage_from_a_tenth_to_least_squares(prices):
    X, y = prices
    low, high = alpha_range(X, y, "ridge")
    squares = np.linalg.svd(X - X.mean(0), compute_uv=False) ** 2
    assert high == pytest.approx(10 * squares[0])
    least_squares = LinearRegression().fit(X, y).coef_
    np.testing.assert_allclose(Ridge(alpha=low).fit(X, y).coef_, least_squares, rtol=1e-3)
    shrunk = np.linalg.norm(Ridge(alpha=high).fit(X, y).coef_) / np.linalg.norm(least_squares)
    assert shrunk < 0.5


def test_ridge_reaches_further_down_on_ill_conditioned_features():
    x = np.linspace(0, 1, 15)[:, None]
    features = make_pipeline(PolynomialFeatures(14), StandardScaler()).fit_transform(x)
    low, high = alpha_range(features, 2 * x[:, 0] + 1, "ridge")
    assert low == pytest.approx(high * 1e-11)  # the floor: eleven decades
    well = make_regression(100, 5, random_state=0)[0]
    low, high = alpha_range(well, well[:, 0], "ridge")
    assert low == pytest.approx(high * 1e-6)  # well conditioned: six decades


def test_an_uninformative_target_is_one_clear_error():
    X = np.random.RandomState(0).rand(20, 3)
    with pytest.raises(DataError, match="alpha_max is 0"):
        alpha_range(X, np.ones(20), "lasso")
    with pytest.raises(DataError, match="every feature is constant"):
        alpha_range(np.ones((20, 3)), np.arange(20.0), "ridge")


def test_grid_is_log_spaced_ten_a_decade_largest_first():
    grid = alpha_grid((1e-2, 1e2))
    assert len(grid) == 41 and grid[0] == pytest.approx(100) and grid[-1] == pytest.approx(0.01)
    np.testing.assert_allclose(np.diff(np.log10(grid)), -0.1)
    assert len(alpha_grid((1e-2, 1e2), 50)) == 50


def test_values_outside_the_range_get_a_note_that_says_what_they_mean():
    assert outside_note(1.0, (0.01, 100.0), "lasso") == ()
    (above,) = outside_note(500.0, (0.01, 100.0), "lasso")
    assert "sets every coefficient to 0" in above
    (below,) = outside_note(1e-5, (0.01, 100.0), "lasso")
    assert "below this data's range [0.01, 100]" in below
    (ridge,) = outside_note(500.0, (0.01, 100.0), "ridge")
    assert "above this data's range" in ridge
