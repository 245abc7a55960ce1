"""Lab 2 against direct scikit-learn calls on make_regression(100, 20, 5, noise=10)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_regression
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge, lasso_path
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from reglab.core.datasets import data_key, load
from reglab.core.penalties.compute import run
from reglab.core.penalties.params import PenaltiesParams


@pytest.fixture(scope="module")
def data():
    X, y, coef = make_regression(
        n_samples=100, n_features=20, n_informative=5, noise=10, random_state=42, coef=True
    )
    return X, y, coef


def cv_mse(model, X, y):
    return -cross_val_score(model, X, y, cv=5, scoring="neg_mean_squared_error")


def test_lasso_cli_equals_direct_lasso(cli_json, data):
    X, y, true_coef = data
    payload = cli_json("penalties", "model=lasso", "alpha=1")
    direct = Lasso(alpha=1).fit(X, y)
    np.testing.assert_allclose(payload["coef"], direct.coef_, rtol=0, atol=1e-8)
    assert payload["n_nonzero"] == np.count_nonzero(direct.coef_)
    np.testing.assert_allclose(payload["true_coef"], true_coef)
    scores = cv_mse(Lasso(alpha=1), X, y)
    assert payload["cv_mse"] == pytest.approx(scores.mean(), rel=1e-12)
    assert payload["cv_mse_std"] == pytest.approx(scores.std(), rel=1e-12)


def test_summary_equals_cross_val_score_for_each_model(cli_json, data):
    X, y, _ = data
    summary = {row["model"]: row for row in cli_json("penalties")["summary"]}
    models = {
        "Linear": LinearRegression(),
        "Ridge(0.1)": Ridge(alpha=0.1),
        "Ridge(1)": Ridge(alpha=1),
        "Ridge(10)": Ridge(alpha=10),
        "Lasso(0.1)": Lasso(alpha=0.1),
        "Lasso(1)": Lasso(alpha=1),
        "ElasticNet(1, 0.5)": ElasticNet(alpha=1, l1_ratio=0.5),
    }
    assert list(summary) == list(models)
    for name, model in models.items():
        scores = cv_mse(model, X, y)
        assert summary[name]["cv_mse"] == pytest.approx(scores.mean(), rel=1e-12), name
        assert summary[name]["cv_mse_std"] == pytest.approx(scores.std(), rel=1e-12), name


@pytest.mark.parametrize(
    ("model", "direct"),
    [
        ("ridge", Ridge(alpha=3.0)),
        ("elasticnet", ElasticNet(alpha=3.0, l1_ratio=0.3)),
    ],
)
def test_other_models_match_direct_fits(model, direct, data):
    X, y, _ = data
    result = run(PenaltiesParams(model=model, alpha=3.0, l1_ratio=0.3))
    np.testing.assert_allclose(result.coef, direct.fit(X, y).coef_, atol=1e-8)


def test_standardize_fits_inside_a_pipeline(data):
    X, y, _ = data
    result = run(PenaltiesParams(standardize=True))
    pipeline = make_pipeline(StandardScaler(), Lasso(alpha=1)).fit(X, y)
    np.testing.assert_allclose(result.coef, pipeline[-1].coef_, atol=1e-8)
    assert result.cv_mse == pytest.approx(
        cv_mse(make_pipeline(StandardScaler(), Lasso(alpha=1)), X, y).mean(), rel=1e-12
    )


def test_paths_match_the_estimators_at_each_alpha(data):
    X, y, _ = data
    ridge_result = run(PenaltiesParams(model="ridge"))
    alphas = np.array(ridge_result.path["alphas"])
    ridge = np.array(ridge_result.path["coefs"])
    for index in (0, len(alphas) // 2, len(alphas) - 1):
        direct = Ridge(alpha=alphas[index]).fit(X, y).coef_
        np.testing.assert_allclose(ridge[:, index], direct, rtol=1e-6, atol=1e-8)
    lasso_result = run(PenaltiesParams(model="lasso"))
    lasso, lasso_alphas = np.array(lasso_result.path["coefs"]), lasso_result.path["alphas"]
    _, direct_path, _ = lasso_path(X - X.mean(0), y - y.mean(), alphas=lasso_alphas)
    np.testing.assert_allclose(lasso, direct_path, atol=1e-10)
    assert lasso.shape == (20, 41)  # four decades, ten points a decade
    # Strong penalty zeroes every lasso coefficient; ridge keeps them all non-zero.
    assert np.all(lasso[:, 0] == 0) and np.all(ridge[:, 0] != 0)


def test_the_lasso_path_starts_at_alpha_max_computed_from_xty(data):
    X, y, _ = data
    result = run(PenaltiesParams(model="lasso"))
    alpha_max = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / len(y)
    assert result.ranges["alpha"] == pytest.approx((alpha_max * 1e-4, alpha_max), rel=1e-12)
    assert result.path["alphas"][0] == pytest.approx(alpha_max, rel=1e-12)
    # Just below alpha_max one coefficient enters (the most correlated feature).
    just_below = Lasso(alpha=alpha_max * 0.9).fit(X, y)
    assert np.count_nonzero(just_below.coef_) == 1
    assert result.to_json()["ranges"] == {"alpha": list(result.ranges["alpha"])}


def house_prices(tmp_path, rows: int = 300, features: int = 22):
    """Prices in the 100 000s from square feet in the 1000s and other real-scale columns."""
    rng = np.random.RandomState(7)
    columns = {"sqft": rng.uniform(600, 4000, rows)}
    for index in range(features - 1):
        columns[f"f{index}"] = rng.normal(50 * (index + 1), 10 * (index + 1), rows)
    frame = pd.DataFrame(columns)
    weights = rng.uniform(50, 500, features)
    frame["price"] = (
        150 * frame["sqft"]
        + (frame.drop(columns="sqft").to_numpy() * weights[1:]).sum(axis=1) * 0.05
        + rng.normal(0, 20000, rows)
    )
    path = tmp_path / "houses.csv"
    frame.to_csv(path, index=False)
    return path


def test_house_price_path_goes_from_all_coefficients_to_none_within_the_range(tmp_path):
    path = house_prices(tmp_path)
    params = PenaltiesParams(dataset="csv", data=str(path), target="price", standardize=True)
    result = run(params)
    coefs = np.array(result.path["coefs"])
    assert coefs.shape[0] == 22
    low, high = result.ranges["alpha"]
    assert result.path["alphas"][0] == pytest.approx(high) and result.path["alphas"][-1] == (
        pytest.approx(low)
    )
    assert np.count_nonzero(coefs[:, 0]) == 0  # at alpha_max every coefficient is 0
    assert np.count_nonzero(coefs[:, -1]) == 22  # four decades down, every one is back
    # The old fixed cap (1e3) is far inside the range: still nearly least squares there.
    assert high > 1e4
    # Typed past the range it still runs, and says what it means.
    beyond = run(dataclasses.replace(params, alpha=high * 10))
    assert beyond.n_nonzero == 0
    assert any("sets every coefficient to 0" in note for note in beyond.notes)


@pytest.mark.parametrize("model", ["ridge", "lasso"])
def test_cross_validation_leaves_the_loaded_data_as_it_was(tmp_path, model):
    """The CV fits centre their training rows in place (copy_X=False): the folds' own
    copies, never the cached data set that every later run reads."""
    path = house_prices(tmp_path)
    params = PenaltiesParams(dataset="csv", data=str(path), target="price", model=model)
    data = load(data_key(params, "regression"))
    X, y = data.X.copy(), data.y.copy()
    run(params)
    np.testing.assert_array_equal(data.X, X)
    np.testing.assert_array_equal(data.y, y)


def test_correlated_lasso_keeps_fewer_of_the_pair_than_ridge():
    lasso = run(PenaltiesParams(dataset="correlated", model="lasso", alpha=0.3))
    ridge = run(PenaltiesParams(dataset="correlated", model="ridge", alpha=0.3))
    assert lasso.feature_names == ["med_count", "polypharmacy", "age"]
    assert lasso.n_nonzero < ridge.n_nonzero == 3


def test_diabetes_runs_with_null_true_coef(cli_json):
    payload = cli_json("penalties", "dataset=diabetes", "alpha=0.1")
    assert payload["true_coef"] is None and len(payload["coef"]) == 10


def test_json_has_every_spec_key(cli_json):
    payload = cli_json("penalties", "model=ridge")
    for key in (
        "lab",
        "params",
        "coef",
        "true_coef",
        "n_nonzero",
        "train_mse",
        "cv_mse",
        "cv_mse_std",
        "path",
        "summary",
        "notes",
    ):
        assert key in payload
    assert set(payload["path"]) == {"alphas", "coefs"}
    assert payload["params"]["model"] == "ridge" and payload["params"]["folds"] == 5
