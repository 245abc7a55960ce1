"""The streamed bootstrap ridge (reglab.core.bias_variance.ridge_stream), taken when the
whole prediction array would be too big: each round's fits against scikit-learn's
``PolynomialFeatures -> StandardScaler -> Ridge`` pipeline, and the decomposition against
the exact path's (mlxtend's formulas on the whole array)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_regression
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from reglab.core import sweep
from reglab.core.bias_variance import compute as bv
from reglab.core.bias_variance import ridge_stream
from reglab.core.bias_variance.params import BiasVarianceParams

ALPHAS = np.array([100.0, 1.0, 1e-2])
KEYS = ("bias2", "variance", "expected_mse")


@pytest.mark.parametrize("degree", [1, 2])
def test_each_rounds_fit_is_scikit_learns_pipeline(degree, monkeypatch):
    monkeypatch.setattr(ridge_stream, "ROW_CHUNK", 64)  # several chunks per round
    X, y = make_regression(300, 6, noise=5.0, random_state=1)
    X = X * [1, 10, 0.1, 1, 1, 1] + 50.0  # far from centred, scales apart
    X[:, 5] = 3.0  # a constant column: StandardScaler keeps its scale at 1
    X_test = X[:40] + 0.5
    draws = bv.BootstrapDraws(len(y), 3, 0)
    F = ridge_stream.features(X, degree)
    F_test = ridge_stream.features(X_test, degree)
    backend = sweep.Backend(workers=1)
    coef, intercept = ridge_stream.fit_rounds(F, y, draws, ALPHAS, backend, None, None, (0, 1))
    for r, drawn in enumerate(draws):
        for a, alpha in enumerate(ALPHAS):
            pipeline = make_pipeline(PolynomialFeatures(degree), StandardScaler(), Ridge(alpha))
            expected = pipeline.fit(X[drawn], y[drawn]).predict(X_test)
            got = F_test @ coef[r, a] + intercept[r, a]
            np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9 * np.abs(y).max())


def run(monkeypatch, streamed: bool, **settings):
    limit = 0 if streamed else 1 << 62
    monkeypatch.setattr(ridge_stream, "WHOLE_PREDICTIONS_BYTES", limit)
    if streamed:  # the whole array is never made
        monkeypatch.setattr(bv, "predictions", lambda *a, **k: pytest.fail("not streamed"))
    params = BiasVarianceParams(model="ridge", mode="bootstrap", rounds=30, **settings)
    return bv.run(params)


def test_the_streamed_decomposition_is_the_exact_paths(monkeypatch):
    exact = run(monkeypatch, streamed=False)
    streamed = run(monkeypatch, streamed=True)
    assert [p["value"] for p in streamed.points] == [p["value"] for p in exact.points]
    for key in KEYS:
        np.testing.assert_allclose(
            [p[key] for p in streamed.points], [p[key] for p in exact.points], rtol=1e-12
        )
    np.testing.assert_allclose(streamed.expected_mse_se, exact.expected_mse_se, rtol=1e-11)
    assert streamed.best["value"] == exact.best["value"]


def test_streamed_numbers_do_not_depend_on_the_workers(monkeypatch):
    monkeypatch.setattr(ridge_stream, "ROUNDS_PER_UNIT", 2)
    monkeypatch.setattr(ridge_stream, "TEST_ELEMENTS", 3000)  # blocks of 4 test rows ...
    monkeypatch.setattr(ridge_stream, "TEST_UNITS", 3)  # ... several to a unit
    monkeypatch.setattr(sweep, "PARALLEL_ABOVE_SECONDS", 0.0)
    one = run(monkeypatch, streamed=True, workers=1).points
    two = run(monkeypatch, streamed=True, workers=2).points
    assert one == two


def test_streaming_starts_where_the_array_would_be_big():
    assert not ridge_stream.streams(21, 200, 133)  # the lab's default: 4.5 MB
    assert ridge_stream.streams(21, 200, 30_000)  # a CSV of 100,000 rows: 1 GB
