"""Lab 1 against a direct scikit-learn pipeline on the reference data."""

import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import mean_squared_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from reglab.core.overfitting.compute import run
from reglab.core.overfitting.params import OverfittingParams


def reference(degree: int, alpha: float):
    x = np.linspace(0, 1, 15)
    y = 2 * x + 1 + 0.3 * np.random.RandomState(42).randn(15)
    regressor = LinearRegression() if alpha == 0 else Ridge(alpha=alpha)
    model = make_pipeline(PolynomialFeatures(degree), StandardScaler(), regressor)
    model.fit(x[:, None], y)
    rng = np.random.RandomState(43)
    x_test = rng.uniform(0, 1, 200)
    y_test = 2 * x_test + 1 + 0.3 * rng.randn(200)
    return (
        model,
        mean_squared_error(y, model.predict(x[:, None])),
        mean_squared_error(y_test, model.predict(x_test[:, None])),
    )


@pytest.mark.parametrize(
    ("degree", "alpha"), [(1, 0.0), (5, 0.0), (14, 0.0), (10, 0.1), (10, 1.0), (10, 10.0)]
)
def test_matches_direct_pipeline(degree, alpha):
    model, train_mse, test_mse = reference(degree, alpha)
    result = run(OverfittingParams(degree=degree, alpha=alpha))
    assert result.train_mse == pytest.approx(train_mse, rel=1e-9)
    assert result.test_mse == pytest.approx(test_mse, rel=1e-9)
    np.testing.assert_allclose(result.coef, model[-1].coef_, rtol=1e-7, atol=1e-9)
    grid = np.linspace(0, 1, 200)
    np.testing.assert_allclose(result.curve["y"], model.predict(grid[:, None]), rtol=1e-9)
    assert result.true_mse == pytest.approx(
        mean_squared_error(2 * grid + 1, model.predict(grid[:, None]))
    )


def test_degree_14_overfits_and_ridge_cures_it(cli_json):
    plain = cli_json("overfitting", "degree=14")
    ridge = cli_json("overfitting", "degree=14", "alpha=1")
    assert plain["train_mse"] * 5 < plain["test_mse"]
    assert ridge["test_mse"] < plain["test_mse"]
    assert ridge["coef_l2_norm"] < plain["coef_l2_norm"] / 100


def test_json_has_every_spec_key(cli_json):
    payload = cli_json("overfitting")
    for key in (
        "lab",
        "params",
        "train_mse",
        "test_mse",
        "true_mse",
        "coef",
        "coef_l2_norm",
        "curve",
        "by_degree",
    ):
        assert key in payload
    assert payload["params"] == {
        "degree": 14,
        "alpha": 0.0,
        "solver": "lstsq",
        "n_samples": 15,
        "noise": 0.3,
        "seed": 42,
    }
    assert [row["degree"] for row in payload["by_degree"]] == list(range(1, 21))
    assert len(payload["curve"]["x"]) == len(payload["curve"]["y"]) == 200


def test_same_seed_same_numbers_other_seed_other_numbers():
    assert run(OverfittingParams()) == run(OverfittingParams())
    assert run(OverfittingParams(seed=7)).train_mse != run(OverfittingParams()).train_mse


def test_cached_error_sweep_equals_the_full_pipeline_at_every_degree():
    from reglab.core.overfitting.compute import errors_by_degree

    for alpha in (0.0, 0.1):
        sweep = errors_by_degree(alpha, 15, 0.3, 42)
        for degree in range(1, 21):
            _, train_mse, test_mse = reference(degree, alpha)
            assert sweep[degree - 1][0] == pytest.approx(train_mse, rel=1e-6, abs=1e-12)
            assert sweep[degree - 1][1] == pytest.approx(test_mse, rel=1e-6, abs=1e-12)


def test_a_cached_run_raises_the_same_warnings_as_a_fresh_one():
    # The error-by-degree table is cached; its LinAlgWarnings are replayed on every hit,
    # so the same parameters give the same notes whatever ran before.
    from reglab.core.notes import warnings_as_notes
    from reglab.core.overfitting.compute import errors_by_degree

    errors_by_degree.cache_clear()
    params = OverfittingParams(alpha=1e-13)
    runs = []
    for _ in range(2):
        notes: list[str] = []
        with warnings_as_notes(notes):
            run(params)
        runs.append(notes)
    assert runs[0] == runs[1] and any("LinAlgWarning" in note for note in runs[0])


def features(degree: int):
    """The reference data through PolynomialFeatures -> StandardScaler, as numpy arrays."""
    x = np.linspace(0, 1, 15)
    y = 2 * x + 1 + 0.3 * np.random.RandomState(42).randn(15)
    rng = np.random.RandomState(43)
    x_test = rng.uniform(0, 1, 200)
    y_test = 2 * x_test + 1 + 0.3 * rng.randn(200)
    transform = make_pipeline(PolynomialFeatures(degree), StandardScaler())
    return transform.fit_transform(x[:, None]), y, transform.transform(x_test[:, None]), y_test


def direct_min_norm(train, y):
    """Every singular value kept: numpy's lstsq with its default cut-off, on centred data."""
    coef = np.linalg.lstsq(train - train.mean(axis=0), y - y.mean(), rcond=None)[0]
    return coef, y.mean() - train.mean(axis=0) @ coef


@pytest.mark.parametrize("degree", [1, 5, 10, 14])
def test_exact_solver_is_numpy_lstsq_on_the_same_features(degree):
    train, y, test, y_test = features(degree)
    coef, intercept = direct_min_norm(train, y)
    result = run(OverfittingParams(degree=degree, solver="exact"))
    np.testing.assert_allclose(result.coef, coef, rtol=1e-10, atol=1e-12)
    assert result.train_mse == pytest.approx(
        mean_squared_error(y, train @ coef + intercept), rel=1e-6, abs=1e-20
    )
    assert result.test_mse == pytest.approx(
        mean_squared_error(y_test, test @ coef + intercept), rel=1e-10
    )


def test_exact_solver_at_degree_14_passes_through_every_training_point():
    lstsq = run(OverfittingParams(degree=14))
    exact = run(OverfittingParams(degree=14, solver="exact"))
    # 15 points, 14 features and an intercept: the exact fit interpolates ...
    assert exact.train_mse < 1e-10
    # ... and overfits far worse than LinearRegression, whose singular value cut-off
    # (scikit-learn >= 1.9: cond=tol=1e-6) regularizes it: about 7.5x against ~4e14x.
    assert exact.test_mse > 10 * lstsq.test_mse
    assert exact.test_mse / exact.train_mse > 1e6 * (lstsq.test_mse / lstsq.train_mse)
    assert exact.coef_l2_norm > 1e4 * lstsq.coef_l2_norm
    assert exact.by_degree[13]["train_mse"] == pytest.approx(exact.train_mse, abs=1e-12)
    assert exact.by_degree[13]["test_mse"] == pytest.approx(exact.test_mse, rel=1e-9)


def test_the_error_sweep_uses_the_exact_solver_at_every_degree():
    from reglab.core.overfitting.compute import errors_by_degree

    sweep = errors_by_degree(0.0, 15, 0.3, 42, "exact")
    assert sweep != errors_by_degree(0.0, 15, 0.3, 42, "lstsq")
    for degree in (3, 9, 14, 20):
        train, y, test, y_test = features(degree)
        coef, intercept = direct_min_norm(train, y)
        assert sweep[degree - 1][1] == pytest.approx(
            mean_squared_error(y_test, test @ coef + intercept), rel=1e-6
        )


def test_solver_matters_only_at_alpha_0():
    assert OverfittingParams().relevant("solver")
    assert not OverfittingParams(alpha=0.1).relevant("solver")
    assert OverfittingParams(alpha=0.1).relevant("alpha")
    ridge = run(OverfittingParams(alpha=0.1))
    assert run(OverfittingParams(alpha=0.1, solver="exact")).train_mse == ridge.train_mse


def test_solver_with_a_ridge_penalty_is_a_note(cli_json):
    payload = cli_json("overfitting", "alpha=1", "solver=exact")
    assert "solver=exact has no effect with these settings" in payload["notes"]
    assert not any("no effect" in note for note in cli_json("overfitting", "solver=exact")["notes"])


def test_a_near_singular_ridge_warns_in_the_json_notes_not_on_stderr():
    # The real console script, so nothing can swallow stderr on the way.
    done = subprocess.run(
        [sys.executable, "-m", "reglab", "run", "overfitting", "--set", "alpha=1e-14", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    notes = json.loads(done.stdout)["notes"]
    assert any(note.startswith("LinAlgWarning") for note in notes), notes
