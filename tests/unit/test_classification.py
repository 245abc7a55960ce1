"""Lab 3 — classification, compared with direct scikit-learn calls.

The accuracy-vs-C curve is cut to C=1 here (C_GRID patched for the module): the slow saga
fits at large C never run; one test checks the full curve with lbfgs. The L1 and
elastic-net default (IRLS-CD) is checked against liblinear run to a tight tolerance;
``solver=saga`` against the reference's saga, exactly (reglab.core.logistic has its own
tests in test_logistic.py).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from reglab.cli import main
from reglab.core.blas import single_blas_thread
from reglab.core.classification import compute as classification
from reglab.core.classification.params import ClassificationParams
from reglab.core.datasets import check_classes, data_key
from reglab.core.errors import Cancelled, DataError
from reglab.core.logistic import IrlsLogisticRegression, objective

FULL_C_GRID = classification.C_GRID
SPEC_KEYS = {
    "cv_accuracy_mean",
    "cv_accuracy_std",
    "cv_scores",
    "n_nonzero",
    "n_coef",
    "coef",
    "by_C",
    "grid",
}
# The reference models, as the tutorial builds them but with the non-deprecated API
# (l1_ratio instead of penalty, C=inf for none) and saga seeded: the lab's solver=saga.
REFERENCE = {
    "none": dict(C=np.inf),
    "l2": dict(C=1.0),
    "l1": dict(C=1.0, l1_ratio=1.0, solver="saga"),
    "elasticnet": dict(C=1.0, l1_ratio=0.5, solver="saga"),
}
# L1 converged: liblinear to a tight tolerance, its intercept penalty made negligible.
TIGHT_L1 = dict(
    solver="liblinear", intercept_scaling=1e3, tol=1e-10, max_iter=10**5, random_state=0
)


@pytest.fixture(autouse=True, scope="module")
def short_curve():
    # One BLAS thread for the direct scikit-learn calls too, as run() uses: with two, lbfgs
    # stalls whenever another process keeps a core of this machine busy.
    with pytest.MonkeyPatch.context() as patch, single_blas_thread():
        patch.setattr(classification, "C_GRID", (1.0,))
        yield


@pytest.fixture(scope="module")
def breast_cancer():
    return load_breast_cancer(return_X_y=True)


def direct_cv(X, y, standardize=True, **kwargs) -> np.ndarray:
    model = LogisticRegression(**{"max_iter": 1000, "random_state": 42, **kwargs})
    estimator = make_pipeline(StandardScaler(), model) if standardize else model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return cross_val_score(estimator, X, y, cv=5)


def run_json(capsys, *settings: str) -> dict:
    args = ["run", "classification", "--json"]
    for setting in settings:
        args += ["--set", setting]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("penalty", ["none", "l1", "l2", "elasticnet"])
def test_cli_cv_accuracy_equals_cross_val_score(capsys, breast_cancer, penalty):
    saga = ("solver=saga",) if penalty in ("l1", "elasticnet") else ()
    result = run_json(capsys, f"penalty={penalty}", *saga)
    expected = direct_cv(*breast_cancer, **REFERENCE[penalty])
    assert result["cv_accuracy_mean"] == pytest.approx(expected.mean(), abs=1e-9)
    assert result["cv_accuracy_std"] == pytest.approx(expected.std(), abs=1e-9)
    assert result["cv_scores"] == pytest.approx(expected.tolist(), abs=1e-9)
    assert SPEC_KEYS <= result.keys()
    assert result["params"]["penalty"] == penalty and result["params"]["folds"] == 5


def test_l1_at_C_1_equals_the_converged_optimum_with_no_note(capsys, breast_cancer):
    result = run_json(capsys, "penalty=l1")
    expected = direct_cv(*breast_cancer, C=1.0, l1_ratio=1.0, **TIGHT_L1)
    assert result["cv_scores"] == pytest.approx(expected.tolist(), abs=1e-12)
    assert result["cv_accuracy_mean"] == pytest.approx(0.9684055, abs=1e-7)
    assert result["solver"] == "irls-cd" and result["notes"] == []
    # The reference's saga stops short of that optimum, and says so.
    saga = run_json(capsys, "penalty=l1", "solver=saga")
    assert saga["cv_accuracy_mean"] == pytest.approx(0.9701599, abs=1e-7)
    assert any("did not converge" in note for note in saga["notes"])


def test_default_l1_coefficients_are_at_least_as_good_as_liblinears_tight_optimum(
    breast_cancer,
):
    result = classification.run(ClassificationParams(penalty="l1"))
    X, y = breast_cancer
    scaled = StandardScaler().fit_transform(X)
    tight = LogisticRegression(C=1.0, l1_ratio=1.0, **TIGHT_L1).fit(scaled, y)
    ours = IrlsLogisticRegression(C=1.0).fit(scaled, y)
    np.testing.assert_array_equal(result.coef, ours.coef_)  # the lab's all-rows fit
    targets = y[:, None].astype(float)
    assert objective(scaled, targets, ours.coef_.T, ours.intercept_, 1.0, 1.0) <= objective(
        scaled, targets, tight.coef_.T, tight.intercept_, 1.0, 1.0
    )
    # Correlated features make the optimum flat: coefficients agree to a few thousandths.
    np.testing.assert_allclose(result.coef, tight.coef_, atol=1e-2)
    assert result.n_nonzero == np.count_nonzero(tight.coef_)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_unscaled_matches_raw_features(breast_cancer, penalty):
    result = classification.run(
        ClassificationParams(penalty=penalty, standardize=False, solver="saga")
    )
    expected = direct_cv(*breast_cancer, standardize=False, **REFERENCE[penalty])
    assert result.cv_accuracy_mean == pytest.approx(expected.mean(), abs=1e-9)
    assert result.cv_accuracy_std == pytest.approx(expected.std(), abs=1e-9)
    # Raw features are what make saga crawl: the standardized lab scores higher.
    scaled = classification.run(ClassificationParams(penalty=penalty, solver="saga"))
    assert scaled.cv_accuracy_mean > result.cv_accuracy_mean


def test_coefficients_are_the_all_rows_fit(breast_cancer):
    result = classification.run(ClassificationParams(penalty="l1", solver="saga"))
    X, y = breast_cancer
    model = make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=1000, random_state=42, **REFERENCE["l1"])
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        coef = model.fit(X, y)[-1].coef_
    np.testing.assert_allclose(result.coef, coef, rtol=0, atol=1e-12)
    assert result.n_nonzero == np.count_nonzero(coef) and result.n_coef == 30
    # saga at C=1 stops at max_iter on these data: that shows as a note, not a warning.
    assert any("did not converge" in note for note in result.notes)


def test_l1_is_sparser_than_l2_at_small_C(monkeypatch):
    monkeypatch.setattr(classification, "C_GRID", (0.01,))
    l1 = classification.run(ClassificationParams(penalty="l1", C=0.01))
    l2 = classification.run(ClassificationParams(penalty="l2", C=0.01))
    assert l2.n_nonzero == 30
    assert 0 < l1.n_nonzero < 10
    # The curve's row at C=0.01 is the same cached fit as the headline.
    row = next(r for r in l1.by_C if r["C"] == 0.01)
    assert row == {
        "C": 0.01,
        "accuracy": l1.cv_accuracy_mean,
        "accuracy_std": l1.cv_accuracy_std,  # the band around the curve
        "n_nonzero": l1.n_nonzero,
    }


def test_full_curve_against_C(monkeypatch, breast_cancer):
    monkeypatch.setattr(classification, "C_GRID", FULL_C_GRID)
    updates = []
    result = classification.run(ClassificationParams(), progress=updates.append)
    assert [row["C"] for row in result.by_C] == list(FULL_C_GRID)
    assert FULL_C_GRID[0] == 1e-4 and FULL_C_GRID[-1] == 1e4 and len(FULL_C_GRID) == 17
    for row in result.by_C[::8]:
        expected = direct_cv(*breast_cancer, C=row["C"])
        assert row["accuracy"] == pytest.approx(expected.mean(), abs=1e-9)
    accuracy = [row["accuracy"] for row in result.by_C]
    assert accuracy[0] < 0.7 < 0.97 < max(accuracy)  # a strong penalty underfits
    fractions = [update.fraction for update in updates]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    partial = [u.partial for u in updates if u.partial is not None]
    assert partial and len(partial[-1].by_C) == len(FULL_C_GRID) - 1


def test_no_penalty_ignores_C():
    result = classification.run(ClassificationParams(penalty="none", C=0.001))
    assert result.solver == "lbfgs"
    assert {row["accuracy"] for row in result.by_C} == {result.cv_accuracy_mean}
    assert (
        result.cv_accuracy_mean
        == classification.run(ClassificationParams(penalty="none")).cv_accuracy_mean
    )


def test_multiclass_grid_matches_grid_search_cv():
    result = classification.run(ClassificationParams(dataset="iris", grid=True, solver="saga"))
    X, y = load_iris(return_X_y=True)
    search = grid_search(X, y, "roc_auc_ovr")
    assert result.grid["scoring"] == "roc_auc_ovr"
    assert_grid_matches(result.grid, search)
    assert np.asarray(result.coef).shape == (3, 4) and result.classes == [0, 1, 2]


def test_binary_grid_matches_grid_search_cv_from_csv(tmp_path):
    X, y = load_wine(return_X_y=True)
    frame = pd.DataFrame(X[y < 2], columns=[f"f{i}" for i in range(X.shape[1])])
    frame["label"] = y[y < 2]
    path = tmp_path / "wine2.csv"
    frame.to_csv(path, index=False)
    result = classification.run(
        ClassificationParams(
            dataset="csv", data=str(path), target="label", grid=True, solver="saga"
        )
    )
    search = grid_search(
        frame.drop(columns="label").to_numpy(), frame["label"].to_numpy(), "roc_auc"
    )
    assert result.grid["scoring"] == "roc_auc"
    assert_grid_matches(result.grid, search)
    assert result.classes == [0, 1]
    # Several cells tie at AUC 1.0 here: the first one wins, as in GridSearchCV.
    assert sum(cell["roc_auc"] == 1.0 for cell in result.grid["cells"]) > 1


def test_default_grid_matches_grid_search_cv_with_irls_cd(breast_cancer):
    result = classification.run(ClassificationParams(grid=True))
    search = grid_search(*breast_cancer, "roc_auc", IrlsLogisticRegression())
    # The lab warm-starts each C from the one before; GridSearchCV fits cold: one optimum.
    assert_grid_matches(result.grid, search, tolerance=1e-9)
    assert result.notes == ()


def grid_search(
    X, y, scoring: str, model=None, l1_ratios=classification.GRID_L1_RATIOS
) -> GridSearchCV:
    if model is None:
        model = LogisticRegression(solver="saga", l1_ratio=0.5, max_iter=1000, random_state=42)
    step = type(model).__name__.lower()  # make_pipeline's name for it
    grid = {
        f"{step}__C": list(classification.GRID_CS),
        f"{step}__l1_ratio": list(l1_ratios),
    }
    search = GridSearchCV(
        make_pipeline(StandardScaler(), model),
        grid,
        scoring=scoring,
        cv=StratifiedKFold(5, shuffle=True, random_state=42),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return search.fit(X, y)


def assert_grid_matches(grid: dict, search: GridSearchCV, tolerance: float = 1e-12) -> None:
    means = search.cv_results_["mean_test_score"]
    assert [c["roc_auc"] for c in grid["cells"]] == pytest.approx(means.tolist(), abs=tolerance)

    def plain(params: dict) -> dict:
        return {name.partition("__")[2]: value for name, value in params.items()}

    assert [(c["C"], c["l1_ratio"]) for c in grid["cells"]] == [
        (p["C"], p["l1_ratio"]) for p in map(plain, search.cv_results_["params"])
    ]
    best = plain(search.best_params_)
    assert grid["best"] == {
        "C": best["C"],
        "l1_ratio": best["l1_ratio"],
        "roc_auc": pytest.approx(search.best_score_, abs=tolerance),
    }


def without_backend(result: classification.ClassificationResult) -> dict:
    payload = result.to_json()
    for name in ("backend", "workers", "scheduler"):
        payload["params"].pop(name)
    return payload


def test_grid_is_the_same_on_one_or_two_worker_threads():
    classification.clear_caches()
    one = classification.run(ClassificationParams(grid=True, workers=1))
    classification.clear_caches()  # or the second run would reuse the first one's fits
    two = classification.run(ClassificationParams(grid=True, workers=2))
    assert two.grid == one.grid and len(one.grid["cells"]) == 20
    assert without_backend(two) == without_backend(one)  # notes included


@pytest.mark.parametrize(
    "dataset, solver, scoring, tolerance",
    [
        # saga fits cold, as GridSearchCV does: the same numbers.
        ("iris", "saga", "roc_auc_ovr", 0.0),
        # IRLS-CD starts each C from the one before, GridSearchCV cold: one optimum.
        ("breast_cancer", "irls-cd", "roc_auc", 1e-9),
    ],
)
def test_a_grid_chain_unit_is_the_grid_search_fits_it_replaces(dataset, solver, scoring, tolerance):
    params = ClassificationParams(dataset=dataset, grid=True).effective()
    setup = classification.Setup(
        data_key=data_key(params, "classification"),
        l1_ratio=0.3,
        solver=solver,
        standardize=True,
        folds=5,
        max_iter=1000,
        seed=42,
        shuffle=True,
        path=classification.GRID_CS,
    )
    fold = 2
    chain = classification.Chain(setup, fold, scoring, classification.GRID_CS)
    data = classification.chain_data(setup)
    fits = classification.fit_chain((chain,), data, 0)  # as a worker runs it
    model = IrlsLogisticRegression() if solver == "irls-cd" else None
    search = grid_search(*data[:2], scoring, model, l1_ratios=[0.3])
    expected = search.cv_results_[f"split{fold}_test_score"]  # C_GRID order, one l1_ratio
    assert [fit.score for fit, _ in fits] == pytest.approx(expected.tolist(), abs=tolerance)
    assert all(caught == [] for _, caught in fits)
    if solver == "irls-cd":
        assert all(fit.converged for fit, _ in fits)
        # The chain is the kept fits' path: the lab's own fit at the last C is this one.
        classification.clear_caches()
        kept = classification.fit_fold(setup, classification.GRID_CS[-1], fold, scoring)
        np.testing.assert_array_equal(kept.state[0], fits[-1][0].state[0])


def test_cancelled_job_stops_before_fitting():
    classification.clear_caches()
    with pytest.raises(Cancelled):
        classification.run(
            ClassificationParams(penalty="elasticnet", C=0.02), cancelled=lambda: True
        )
    assert classification.fit_fold.cache_info().currsize == 0


@pytest.mark.parametrize(
    "setting, name",
    [
        ("penalty=l3", "penalty"),
        ("C=0", "C"),
        ("C=1e5", "C"),
        ("folds=1", "folds"),
        ("l1_ratio=2", "l1_ratio"),
        ("grid=maybe", "grid"),
        ("colour=red", "colour"),
    ],
)
def test_cli_bad_values_exit_2(capsys, setting, name):
    assert main(["run", "classification", "--set", setting]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"reglab: error: {name}:") and "\n" not in error


def write_csv(tmp_path, features: dict, target: list) -> str:
    path = tmp_path / "data.csv"
    pd.DataFrame({**features, "y": target}).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    "target, extra, message",
    [
        ([1] * 20, {}, "single class"),
        ([0, 1] * 10, {"colour": ["red", "blue"] * 10}, "text feature column(s)"),
        ([0.5, 1.5] * 10, {}, "non-integer numbers"),
        ([0] * 3 + [1] * 17, {}, "folds: class 0 has only 3 row(s)"),
    ],
)
def test_cli_csv_errors(capsys, tmp_path, target, extra, message):
    rng = np.random.RandomState(0)
    path = write_csv(tmp_path, {"x1": rng.rand(20), "x2": rng.rand(20), **extra}, target)
    code = main(
        [
            "run",
            "classification",
            "--set",
            "dataset=csv",
            "--set",
            f"data={path}",
            "--set",
            "target=y",
        ]
    )
    assert code == 2
    assert message in capsys.readouterr().err


def test_check_classes_raises_data_error():
    with pytest.raises(DataError, match="folds: class 'b' has only 1 row"):
        check_classes(np.array(["a"] * 9 + ["b"]), 2, "folds")
