"""Lab 4 — trees, compared with direct scikit-learn calls on the same stratified split.

The validation curve is cut to max_depth 1..3 (+ none) for the module (DEPTH_CAP patched),
so boosting's deep fits run once; one test checks the default cap with the single tree.
"""

from __future__ import annotations

import contextlib
import io
import json
import pickle
from functools import partial

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.tree import DecisionTreeClassifier

from reglab.cli import main
from reglab.core.datasets import data_key
from reglab.core.errors import Cancelled
from reglab.core.trees import compute as trees
from reglab.core.trees.params import TreesParams

DEFAULT_CAP = trees.DEPTH_CAP
SPEC_KEYS = {
    "train_accuracy",
    "test_accuracy",
    "cv_accuracy_mean",
    "n_leaves",
    "by_depth",
    "by_stage",
}


@pytest.fixture(autouse=True, scope="module")
def short_curve():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trees, "DEPTH_CAP", 3)
        yield


@pytest.fixture(scope="module")
def split():
    X, y = load_breast_cancer(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)


@pytest.fixture(scope="module")
def boosting():
    """``reglab run trees --set model=boosting --json``, run once for the module."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", "trees", "--set", "model=boosting", "--json"]) == 0
    return json.loads(out.getvalue())


def accuracy(model, split) -> tuple[float, float]:
    X_train, X_test, y_train, y_test = split
    model.fit(X_train, y_train)
    return model.score(X_train, y_train), model.score(X_test, y_test)


def scores(model, split) -> tuple[float, float, float]:
    cv = cross_val_score(model, split[0], split[2], cv=5).mean()
    return *accuracy(model, split), cv


def test_cli_boosting_equals_direct_gradient_boosting(boosting, split):
    direct = GradientBoostingClassifier(
        n_estimators=100, learning_rate=0.1, max_depth=3, subsample=0.8, random_state=42
    )
    train, test, cv = scores(direct, split)
    assert boosting["train_accuracy"] == pytest.approx(train, abs=1e-12)
    assert boosting["test_accuracy"] == pytest.approx(test, abs=1e-12)
    assert boosting["cv_accuracy_mean"] == pytest.approx(cv, abs=1e-12)
    staged = [np.mean(p == split[3]) for p in direct.staged_predict(split[1])]
    assert [row["test_accuracy"] for row in boosting["by_stage"]] == pytest.approx(
        staged, abs=1e-12
    )
    assert [row["stage"] for row in boosting["by_stage"]] == list(range(1, 101))
    assert boosting["by_stage"][-1]["test_accuracy"] == boosting["test_accuracy"]
    assert SPEC_KEYS <= boosting.keys() and boosting["n_leaves"] is None
    assert boosting["by_trees"] is None
    assert boosting["params"]["max_depth"] == 3 and boosting["params"]["max_features"] == "all"


def test_boosting_train_accuracy_reaches_one_but_test_does_not(boosting, split):
    by_depth = boosting["by_depth"]
    assert [row["max_depth"] for row in by_depth] == [1, 2, 3, None]
    assert by_depth[0]["train_accuracy"] < 1.0
    assert max(row["train_accuracy"] for row in by_depth) == 1.0
    assert max(row["test_accuracy"] for row in by_depth) < 0.98
    direct = GradientBoostingClassifier(max_depth=2, subsample=0.8, random_state=42)
    train, test = accuracy(direct, split)
    assert (by_depth[1]["train_accuracy"], by_depth[1]["test_accuracy"]) == (train, test)


def test_tree_equals_direct_decision_tree(monkeypatch, split):
    monkeypatch.setattr(trees, "DEPTH_CAP", DEFAULT_CAP)
    result = trees.run(TreesParams(model="tree"))
    direct = DecisionTreeClassifier(
        max_depth=5, min_samples_split=10, min_samples_leaf=5, max_features="sqrt", random_state=42
    )
    train, test, cv = scores(direct, split)
    assert (result.train_accuracy, result.test_accuracy) == (train, test)
    assert result.cv_accuracy_mean == pytest.approx(cv, abs=1e-12)
    assert result.n_leaves == direct.get_n_leaves() and result.depth == direct.get_depth()
    assert result.by_stage is None and result.by_trees is None
    # The unlimited tree stops at depth 6 (leaves keep 5 rows), before the cap of 10.
    assert [row["max_depth"] for row in result.by_depth] == [1, 2, 3, 4, 5, 6, None]
    assert result.by_depth[4] == {"max_depth": 5, "train_accuracy": train, "test_accuracy": test}
    assert (result.n_train, result.n_test) == (426, 143)


def test_unpruned_tree_memorizes_the_training_rows():
    result = trees.run(
        TreesParams(
            model="tree",
            max_depth=None,
            min_samples_split=2,
            min_samples_leaf=1,
            max_features="all",
        )
    )
    assert result.params.max_depth is None
    assert result.train_accuracy == 1.0 and result.test_accuracy < 0.95
    assert result.by_depth[-1]["max_depth"] is None
    assert result.by_depth[-1]["train_accuracy"] == 1.0


def test_forest_curve_reuses_trees_exactly(split):
    updates = []
    result = trees.run(TreesParams(model="forest"), progress=updates.append)
    direct = RandomForestClassifier(
        n_estimators=100, max_depth=10, min_samples_leaf=2, max_features="sqrt", random_state=42
    )
    train, test, cv = scores(direct, split)
    assert (result.train_accuracy, result.test_accuracy) == (train, test)
    assert result.cv_accuracy_mean == pytest.approx(cv, abs=1e-12)
    assert [row["n_trees"] for row in result.by_trees] == list(range(1, 101))
    for k in (1, 7, 40):
        smaller = RandomForestClassifier(
            n_estimators=k, max_depth=10, min_samples_leaf=2, max_features="sqrt", random_state=42
        )
        small_train, small_test = accuracy(smaller, split)
        assert result.by_trees[k - 1] == {
            "n_trees": k,
            "train_accuracy": small_train,
            "test_accuracy": small_test,
        }
    assert result.by_trees[-1]["test_accuracy"] == test
    assert result.by_stage is None and result.n_leaves is None
    fractions = [update.fraction for update in updates]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any(update.partial is not None for update in updates)


def test_curve_and_cv_scores_are_the_same_on_one_or_two_workers():
    results = []
    for workers in (1, 2):
        trees.clear_caches()  # else the second run reads the first one's cached sweeps
        results.append(trees.run(TreesParams(model="tree", workers=workers)))
    one, two = results
    assert [row["max_depth"] for row in one.by_depth] == [1, 2, 3, None]
    assert one.by_depth == two.by_depth
    assert one.cv_scores == two.cv_scores and len(one.cv_scores) == 5


def test_depth_unit_equals_a_direct_fit_of_that_depth(split):
    knobs = trees.knobs_for(TreesParams(model="forest", n_estimators=20).effective())
    # What the dask backend sends to a worker: a module-level function with its settings.
    unit = pickle.loads(pickle.dumps(partial(trees.depth_accuracies, knobs, 42, (2, 4))))
    direct = RandomForestClassifier(
        n_estimators=20, max_depth=4, min_samples_leaf=2, max_features="sqrt", random_state=42
    )
    assert unit(tuple(split), 1) == accuracy(direct, split)


def test_cancelling_stops_boosting_between_stages_and_caches_nothing():
    params = TreesParams(model="boosting", n_estimators=60, learning_rate=0.2)
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 20

    with pytest.raises(Cancelled):
        trees.run(params, cancelled=cancelled)
    assert calls < 25  # stopped inside the first fit, after about 20 of its 60 stages
    split = trees.Split(data_key(params, "classification"), params.test_size, params.seed)
    model = trees.fit(split, trees.knobs_for(params.effective()))
    assert model.n_estimators_ == 60  # the stopped fit was not cached


def test_cli_json_keys(capsys):
    assert main(["run", "trees", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert SPEC_KEYS <= result.keys() and result["lab"] == "trees"
    assert result["by_stage"] is None and isinstance(result["n_leaves"], int)
    assert result["params"]["max_depth"] == 5 and result["params"]["test_size"] == 0.25


@pytest.mark.parametrize(
    "setting, name",
    [
        ("model=svm", "model"),
        ("max_depth=0", "max_depth"),
        ("max_depth=deep", "max_depth"),
        ("test_size=0.9", "test_size"),
        ("n_estimators=0", "n_estimators"),
        ("folds=1", "folds"),
        ("subsample=0", "subsample"),
        ("max_features=half", "max_features"),
    ],
)
def test_cli_bad_values_exit_2(capsys, setting, name):
    assert main(["run", "trees", "--set", setting]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"reglab: error: {name}:") and "\n" not in error


@pytest.mark.parametrize(
    "target, extra, message",
    [
        ([1] * 20, {}, "single class"),
        ([0, 1] * 10, {"colour": ["red", "blue"] * 10}, "text feature column(s)"),
        ([0] * 2 + [1] * 18, {}, "folds: class 0 has only 1 row(s) in the training split"),
        ([0] + [1] * 19, {}, "test_size: class 0 has only 1 row(s)"),
    ],
)
def test_cli_csv_errors(capsys, tmp_path, target, extra, message):
    rng = np.random.RandomState(0)
    path = tmp_path / "data.csv"
    pd.DataFrame({"x1": rng.rand(20), "x2": rng.rand(20), **extra, "y": target}).to_csv(
        path, index=False
    )
    code = main(
        ["run", "trees", "--set", "dataset=csv", "--set", f"data={path}", "--set", "target=y"]
    )
    assert code == 2
    assert message in capsys.readouterr().err


def test_csv_with_text_labels_is_a_clear_error(tmp_path, capsys):
    rng = np.random.RandomState(1)
    x = rng.rand(60)
    path = tmp_path / "labels.csv"
    pd.DataFrame({"x": x, "noise": rng.rand(60), "kind": np.where(x > 0.5, "big", "small")}).to_csv(
        path, index=False
    )
    argv = ["run", "trees", "--set", "dataset=csv", "--set", f"data={path}", "--set", "target=kind"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "target: column 'kind'" in err and "not numeric" in err and "Traceback" not in err
