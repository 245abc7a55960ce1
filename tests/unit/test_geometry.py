"""The penalties lab's geometry view against direct scikit-learn fits of the 2-D problem.

The plane's problem: every coefficient but the chosen two, and the intercept, fixed at the
lab's fit; r = y - Z_others w_others - intercept against the two columns of Z (the features
as the estimator saw them: standardized with standardize=true).
"""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, make_regression
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
from sklearn.preprocessing import StandardScaler

from reglab.core.datasets import correlated


def reference_data(dataset):
    if dataset == "synthetic":
        X, y, coef = make_regression(
            n_samples=100, n_features=20, n_informative=5, noise=10, random_state=42, coef=True
        )
        return X, y, coef
    if dataset == "correlated":
        data = correlated(42)
        return data.X, data.y, data.true_coef
    X, y = load_diabetes(return_X_y=True)
    return X, y, None


def direct_model(model, alpha, l1_ratio=0.5):
    if model == "ridge":
        return Ridge(alpha=alpha)
    if model == "lasso":
        return Lasso(alpha=alpha)
    return ElasticNet(alpha=alpha, l1_ratio=l1_ratio)


def partial_residual_problem(dataset, model, alpha, standardize, pair):
    """The full fit by scikit-learn, then the 2-column problem with the others fixed."""
    X, y, _ = reference_data(dataset)
    Z = StandardScaler().fit_transform(X) if standardize else X
    full = direct_model(model, alpha).fit(Z, y)
    others = [k for k in range(Z.shape[1]) if k not in pair]
    r = y - Z[:, others] @ full.coef_[others] - full.intercept_
    return Z[:, list(pair)], r, full


@pytest.mark.parametrize("model", ["lasso", "ridge", "elasticnet"])
@pytest.mark.parametrize(
    ("dataset", "alpha", "standardize"),
    [("synthetic", 1.0, False), ("synthetic", 5.0, True), ("correlated", 0.05, False)],
)
def test_solution_equals_direct_fit_of_the_partial_residual_problem(
    cli_json, model, dataset, alpha, standardize
):
    payload = cli_json(
        "penalties",
        f"model={model}",
        f"dataset={dataset}",
        f"alpha={alpha}",
        f"standardize={str(standardize).lower()}",
    )
    plane = payload["geometry"]
    Zij, r, full = partial_residual_problem(dataset, model, alpha, standardize, plane["features"])
    # Same 2-column problem (same n rows, so the same 1/(2n) scaling) and the same solver:
    # only the float rounding of r differs.
    direct = direct_model(model, alpha).fit(Zij, r)
    np.testing.assert_allclose(plane["solution"], direct.coef_, rtol=1e-9, atol=1e-9)
    # And it is the full fit's pair: exactly for ridge (closed form), within the
    # coordinate-descent tolerance (tol=1e-4) for lasso and elastic net.
    pair = full.coef_[plane["features"]]
    np.testing.assert_allclose(plane["solution"], pair, rtol=1e-8 if model == "ridge" else 1e-3)


def test_contours_are_the_loss_of_the_plane(cli_json):
    payload = cli_json("penalties", "dataset=correlated", "alpha=0.1")
    plane = payload["geometry"]
    contours = plane["contours"]
    Zij, r, _ = partial_residual_problem("correlated", "lasso", 0.1, False, plane["features"])
    n = len(r)
    ols = LinearRegression().fit(Zij, r)
    np.testing.assert_allclose(contours["center"], ols.coef_, rtol=1e-9)
    centre, hessian = np.array(contours["center"]), np.array(contours["hessian"])
    rc = r - ols.intercept_  # the intercept refitted: the best one for the OLS pair ...
    for w in ([0.0, 0.0], plane["solution"], [1.0, -2.0]):
        w = np.array(w)
        intercept = np.mean(r - Zij @ w)  # ... and for every other pair
        loss = np.sum((r - Zij @ w - intercept) ** 2) / (2 * n)
        quadratic = 0.5 * (w - centre) @ hessian @ (w - centre) + contours["min_loss"]
        assert quadratic == pytest.approx(loss, rel=1e-9)
    assert contours["min_loss"] == pytest.approx(np.sum((rc - Zij @ ols.coef_) ** 2) / (2 * n))
    w = np.array(plane["solution"])
    touching = np.sum((r - Zij @ w - np.mean(r - Zij @ w)) ** 2) / (2 * n)
    assert contours["touching"] == pytest.approx(touching, rel=1e-9)
    assert contours["touching"] in contours["levels"]


def test_lasso_sits_on_the_diamond_and_reaches_a_corner(cli_json):
    payload = cli_json("penalties", "model=lasso", "alpha=1")
    plane = payload["geometry"]
    i, j = plane["features"]
    w_i, w_j = plane["solution"]
    assert plane["radius_l1"] == pytest.approx(abs(payload["coef"][i]) + abs(payload["coef"][j]))
    # The 2-D solution is on the diamond of the full fit (within the solver's tolerance).
    assert abs(w_i) + abs(w_j) == pytest.approx(plane["radius_l1"], rel=1e-4)
    assert plane["path"][0]["alpha"] == max(payload["path"]["alphas"])
    assert [step["alpha"] for step in plane["path"]] == payload["path"]["alphas"]
    corners = [step for step in plane["path"] if (step["w_i"] == 0) != (step["w_j"] == 0)]
    assert corners, "no alpha in the path where exactly one coefficient is 0"
    # A corner sits at a large alpha: above the current one, where both are non-zero.
    assert all(step["alpha"] > 1 for step in corners) and w_i != 0 and w_j != 0


def test_ridge_sits_on_the_circle_and_never_reaches_zero(cli_json):
    payload = cli_json("penalties", "model=ridge", "alpha=1")
    plane = payload["geometry"]
    i, j = plane["features"]
    assert plane["radius_l2"] == pytest.approx(np.hypot(payload["coef"][i], payload["coef"][j]))
    assert np.hypot(*plane["solution"]) == pytest.approx(plane["radius_l2"], rel=1e-9)
    assert len(plane["path"]) == len(payload["path"]["alphas"])
    assert all(step["w_i"] != 0 and step["w_j"] != 0 for step in plane["path"])
    # It shrinks all the way along: the largest alpha leaves the pair near the origin.
    first, last = plane["path"][0], plane["path"][-1]
    assert np.hypot(first["w_i"], first["w_j"]) < 0.05 * np.hypot(last["w_i"], last["w_j"])


def test_default_pairs(cli_json):
    _, _, true_coef = reference_data("synthetic")
    synthetic = cli_json("penalties")["geometry"]
    assert synthetic["features"] == sorted(np.argsort(-np.abs(true_coef))[:2].tolist())
    pair = cli_json("penalties", "dataset=correlated")["geometry"]
    assert pair["names"] == ["med_count", "polypharmacy"] and pair["features"] == [0, 1]
    X, y, _ = reference_data("diabetes")
    coef = Lasso(alpha=1).fit(X, y).coef_
    diabetes = cli_json("penalties", "dataset=diabetes")["geometry"]
    assert diabetes["features"] == sorted(np.argsort(-np.abs(coef))[:2].tolist())


def test_asked_pair_is_drawn(cli_json):
    plane = cli_json("penalties", "geometry_features=7, 3")["geometry"]
    assert plane["features"] == [7, 3] and plane["names"] == ["x7", "x3"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("3", "expected two distinct feature indices i,j"),
        ("2,2", "expected two distinct feature indices i,j"),
        ("a,b", "expected two distinct feature indices i,j"),
        ("-1,2", "expected two distinct feature indices i,j"),
        ("1,2,3", "expected two distinct feature indices i,j"),
        ("0,20", "feature index 20 is out of range: these data have 20 features (0..19)"),
    ],
)
def test_bad_geometry_features_exit_2_with_one_line(cli_error, value, fragment):
    code, err = cli_error("run", "penalties", "--set", f"geometry_features={value}")
    assert code == 2
    assert "geometry_features" in err and fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err
