"""Lab 7 (bias-variance): the decomposition adds up, moves the right way with complexity,
equals direct scikit-learn fits, and in bootstrap mode equals mlxtend to 1e-9."""

import threading

import numpy as np
import pytest
from mlxtend.evaluate import bias_variance_decomp
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.tree import DecisionTreeRegressor

from reglab.core import sweep
from reglab.core.bias_variance import compute as bv
from reglab.core.bias_variance.params import BiasVarianceParams
from reglab.core.errors import Cancelled
from reglab.core.spec import with_values

SPEC_POINT_KEYS = {"value", "bias2", "variance", "noise", "expected_mse"}


def params(**settings) -> BiasVarianceParams:
    return with_values(BiasVarianceParams(), {k: str(v) for k, v in settings.items()})


def lab(**settings):
    return bv.run(params(**settings))


@pytest.fixture(scope="module")
def simulated():
    return {model: bv.run(BiasVarianceParams(model=model)) for model in ("ridge", "tree", "knn")}


@pytest.mark.parametrize("model", ["ridge", "tree", "knn"])
def test_parts_add_up_within_sampling_error(simulated, model):
    result = simulated[model]
    assert len(result.points) >= 8
    for point, se in zip(result.points, result.expected_mse_se, strict=True):
        assert point["noise"] == pytest.approx(0.3**2)
        parts = point["bias2"] + point["variance"] + point["noise"]
        # expected_mse is measured against fresh noisy targets, independently of the parts
        assert abs(parts - point["expected_mse"]) <= 4 * se, point
        assert se < 0.1 * point["expected_mse"]


@pytest.mark.parametrize("model", ["ridge", "tree", "knn"])
def test_bias_falls_and_variance_rises_with_complexity(simulated, model):
    points = simulated[model].points  # simplest model first
    bias2 = np.array([p["bias2"] for p in points])
    variance = np.array([p["variance"] for p in points])
    assert np.all(np.diff(bias2) <= 1e-3 * bias2[0]), bias2
    assert bias2[0] > 20 * bias2[-1]
    assert variance[-1] > 2 * variance[0]
    rank = np.argsort(np.argsort(variance))
    assert np.corrcoef(rank, np.arange(len(rank)))[0, 1] > 0.6, variance
    best = simulated[model].best
    assert best["expected_mse"] == min(p["expected_mse"] for p in points)
    assert best["value"] not in (points[0]["value"], points[-1]["value"])  # a real U


def test_decomposition_identity_against_the_truth():
    # bias2 + variance (ddof=0) is exactly the mean squared distance of the fits from f
    problem = bv.simulate_problem(params(rounds=30))
    P = bv.predictions(problem, params(rounds=30).effective(), [10.0, 1e-3])
    parts = bv.decompose(P, problem, 0.3)
    direct = np.mean((P - problem.f_test) ** 2, axis=(1, 2))
    np.testing.assert_allclose(parts.bias2 + parts.variance, direct, rtol=1e-12)


def test_batched_ridge_equals_sklearn_pipeline():
    p = params(rounds=6, degree=10).effective()
    problem = bv.simulate_problem(p)
    alphas = [100.0, 1.0, 1e-3]
    P = bv.predictions(problem, p, alphas)
    for a, alpha in enumerate(alphas):
        for r in range(6):
            model = make_pipeline(PolynomialFeatures(10), StandardScaler(), Ridge(alpha=alpha))
            model.fit(problem.X_train[r], problem.y_train[r])
            np.testing.assert_allclose(P[a, r], model.predict(problem.X_test), rtol=0, atol=1e-7)


def test_depths_read_off_one_tree_equal_separate_fits():
    p = params(model="tree", rounds=8).effective()
    problem = bv.simulate_problem(p)
    depths = [1, 2, 4, 7, None]
    P = bv.predictions(problem, p, depths)
    for d, depth in enumerate(depths):
        for r in range(8):
            tree = DecisionTreeRegressor(max_depth=depth, random_state=p.seed)
            tree.fit(problem.X_train[r], problem.y_train[r])
            np.testing.assert_array_equal(P[d, r], tree.predict(problem.X_test))


def test_sorted_knn_equals_sklearn():
    p = params(model="knn", rounds=5).effective()
    problem = bv.simulate_problem(p)
    ks = [20, 5, 1]
    P = bv.predictions(problem, p, ks)
    for i, k in enumerate(ks):
        for r in range(5):
            knn = KNeighborsRegressor(n_neighbors=k).fit(problem.X_train[r], problem.y_train[r])
            np.testing.assert_allclose(P[i, r], knn.predict(problem.X_test), rtol=0, atol=1e-12)


def mlxtend_points(X, y, estimators, rounds, seed=42):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=seed)
    return np.array(
        [
            bias_variance_decomp(
                est,
                X_train,
                y_train,
                X_test,
                y_test,
                loss="mse",
                num_rounds=rounds,
                random_seed=seed,
            )
            for est in estimators
        ]
    )


def ours(result):
    return np.array([[p["expected_mse"], p["bias2"], p["variance"]] for p in result.points])


@pytest.mark.parametrize(
    ("model", "values", "degree", "make"),
    [
        (
            "ridge",
            "10,1,0.1",
            1,
            lambda v: make_pipeline(PolynomialFeatures(1), StandardScaler(), Ridge(alpha=v)),
        ),
        (
            "ridge",
            "3",
            2,
            lambda v: make_pipeline(PolynomialFeatures(2), StandardScaler(), Ridge(alpha=v)),
        ),
        ("tree", "2,4,none", 1, lambda v: DecisionTreeRegressor(max_depth=v, random_state=42)),
        ("knn", "15,4,1", 1, lambda v: KNeighborsRegressor(n_neighbors=v)),
    ],
)
def test_bootstrap_equals_mlxtend(model, values, degree, make):
    rounds = 25
    result = lab(model=model, values=values, degree=degree, mode="bootstrap", rounds=rounds)
    X, y = load_diabetes(return_X_y=True)
    reference = mlxtend_points(X, y, [make(p["value"]) for p in result.points], rounds)
    np.testing.assert_allclose(ours(result), reference, rtol=0, atol=1e-9)
    for point in result.points:
        assert point["noise"] == 0.0
        assert point["expected_mse"] == pytest.approx(point["bias2"] + point["variance"], rel=1e-12)


def test_bootstrap_knn_with_distance_ties_equals_mlxtend(tmp_path):
    # Integer features: many rows at equal distance, so scikit-learn's tie-breaking decides.
    rng = np.random.RandomState(0)
    X = rng.randint(0, 4, size=(60, 3)).astype(float)
    y = X @ [1.0, -2.0, 0.5] + rng.normal(0, 1, 60)
    csv = tmp_path / "ties.csv"
    header = "a,b,c,target"
    np.savetxt(csv, np.column_stack([X, y]), delimiter=",", header=header, comments="")
    result = lab(
        model="knn",
        values="5,2",
        mode="bootstrap",
        rounds=20,
        dataset="csv",
        data=csv,
        target="target",
    )
    reference = mlxtend_points(X, y, [KNeighborsRegressor(n_neighbors=k) for k in (5, 2)], 20)
    np.testing.assert_allclose(ours(result), reference, rtol=0, atol=1e-9)


def test_bootstrap_draws_are_mlxtend_draws():
    rng = np.random.RandomState(7)
    expected = [rng.choice(np.arange(30), size=30, replace=True) for _ in range(4)]
    np.testing.assert_array_equal(bv.bootstrap_indices(30, 4, 7), expected)


def test_draws_made_again_are_the_same_rounds_in_any_order_thread_or_process():
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.RandomState(3)
    expected = np.stack([rng.choice(np.arange(50), size=50, replace=True) for _ in range(9)])
    draws = bv.BootstrapDraws(50, 9, 3)
    assert draws.shape == expected.shape and len(draws) == 9
    np.testing.assert_array_equal(draws[4], expected[4])
    np.testing.assert_array_equal(draws[2:7], expected[2:7])
    np.testing.assert_array_equal(list(draws), expected)
    with ThreadPoolExecutor(4) as pool:  # each thread restores states into its own generator
        rounds = list(pool.map(draws.__getitem__, [8, 0, 5, 8, 3, 1] * 20))
    np.testing.assert_array_equal(rounds, expected[[8, 0, 5, 8, 3, 1] * 20])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(draws))[1:3], expected[1:3])


def test_values_override_the_sweep_simplest_first():
    tree = lab(model="tree", values="none,3,1", rounds=10)
    assert [p["value"] for p in tree.points] == [1, 3, None]
    knn = lab(model="knn", values="2,9", rounds=10)
    assert [p["value"] for p in knn.points] == [9, 2] and knn.complexity_name == "k"


def test_cancellation_and_progress():
    seen = []
    bv.run(BiasVarianceParams(model="tree", rounds=40), progress=seen.append)
    fractions = [p.fraction for p in seen]
    assert fractions[-1] == 1.0 and len(seen) > 3
    with pytest.raises(Cancelled):
        bv.run(BiasVarianceParams(model="tree", rounds=400), cancelled=lambda: True)


def without_workers(result) -> dict:
    payload = result.to_json()
    del payload["params"]["workers"]
    return payload


def held_back(unit, finished: list):
    """``unit``, with unit 1 waiting until a later unit has finished: on two workers the
    units then finish out of index order, always. (Unit 0 runs first, alone: it tells the
    sweep whether a pool is worth starting.)"""
    later_finished = threading.Event()

    def run(*args):
        index = args[-1]
        if index == 1:
            assert later_finished.wait(10), "no later unit ran beside unit 1"
        result = unit(*args)
        finished.append(index)
        if index > 1:
            later_finished.set()
        return result

    return run


@pytest.mark.parametrize(
    ("settings", "unit"),
    [({"mode": "bootstrap"}, "_ridge_block"), ({"model": "tree"}, "_tree_depths_block")],
)
def test_workers_and_finishing_order_leave_the_numbers_unchanged(monkeypatch, settings, unit):
    # Small blocks, so the 20 rounds are several units (ridge: one round each; tree: four).
    monkeypatch.setattr(bv, "RIDGE_ELEMENTS", 1)
    monkeypatch.setattr(bv, "FIT_ROUNDS", 4)
    monkeypatch.setattr(sweep, "PARALLEL_ABOVE_SECONDS", 0.0)  # a pool, however small the units
    one = without_workers(lab(**settings, rounds=20, workers=1))
    finished: list[int] = []
    monkeypatch.setattr(bv, unit, held_back(getattr(bv, unit), finished))
    two = without_workers(lab(**settings, rounds=20, workers=2))
    assert len(finished) >= 5 and finished != sorted(finished)  # finished out of order
    assert two == one  # ... and assembled in round order all the same


def test_cli_json_has_every_spec_key(cli_json):
    payload = cli_json("bias-variance", "model=knn", "rounds=50")
    assert {"complexity_name", "points", "best"} <= payload.keys()
    assert payload["complexity_name"] == "k"
    assert all(SPEC_POINT_KEYS <= point.keys() for point in payload["points"])
    assert payload["best"] in payload["points"]
    assert payload["params"]["degree"] == 10 and payload["params"]["mode"] == "simulate"
    boot = cli_json("bias-variance", "mode=bootstrap", "rounds=5")
    assert boot["params"]["degree"] == 1 and boot["fit_at_best"] is None


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        (["model=knn", "values=0"], "values: knn sweeps k"),
        (["model=knn", "values=80"], "values: k must be <= n_train (50)"),
        (["model=ridge", "values=none"], "values: ridge sweeps alpha"),
        (["mode=bootstrap", "degree=6"], "degree: degree 6 on 10 features"),
        (["mode=bootstrap", "dataset=csv"], "data: dataset=csv needs data=PATH"),
        (["rounds=1"], "rounds: 1 is not allowed"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli_error, settings, fragment):
    argv = ["run", "bias-variance"]
    for setting in settings:
        argv += ["--set", setting]
    code, err = cli_error(*argv)
    assert code == 2
    assert fragment in err and len(err.strip().splitlines()) == 1
