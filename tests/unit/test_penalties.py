"""Lab 2 against direct scikit-learn calls on make_regression(100, 20, 5, noise=10)."""

import numpy as np
import pytest
from sklearn.datasets import make_regression
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge, lasso_path
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from reglab.core.penalties.compute import PATH_ALPHAS, ridge_path, run
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
    ridge = ridge_path(X, y, PATH_ALPHAS)
    for index in (0, 30, 60):
        direct = Ridge(alpha=PATH_ALPHAS[index]).fit(X, y).coef_
        np.testing.assert_allclose(ridge[:, index], direct, rtol=1e-6, atol=1e-8)
    lasso = np.array(run(PenaltiesParams(model="lasso")).path["coefs"])
    _, direct_path, _ = lasso_path(X - X.mean(0), y - y.mean(), alphas=PATH_ALPHAS)
    np.testing.assert_allclose(lasso, direct_path, atol=1e-10)
    assert lasso.shape == (20, len(PATH_ALPHAS))
    # Strong penalty zeroes every lasso coefficient; ridge keeps them all non-zero.
    assert np.all(lasso[:, 0] == 0) and np.all(ridge[:, 0] != 0)


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
