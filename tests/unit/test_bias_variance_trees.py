"""Lab 7's trees against ``DecisionTreeRegressor(max_depth=d, random_state=seed)`` fitted
directly, bit for bit: the depths read off one unlimited tree, bootstrap samples grown as
their distinct rows weighted by their counts, and the lab's predictions at every depth — on
the lab's data (diabetes) and on data full of tied splits. And where the reading-off rule
says no, cutting the unlimited tree really does give another tree."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.tree import DecisionTreeRegressor

from reglab.core.bias_variance import compute as bv
from reglab.core.bias_variance import tree_cut, tree_grow
from reglab.core.bias_variance.params import BiasVarianceParams

SEED = 42
DEPTHS = [*range(1, 21), None]  # past the trees' depths, so "deeper than the tree" is met


def lab_problem(rounds: int) -> bv.Problem:
    """The lab's bootstrap problem: diabetes, integer targets, continuous features."""
    return bv.bootstrap_problem(BiasVarianceParams(mode="bootstrap", rounds=rounds))


def tie_problem(rounds: int, integer_targets: bool) -> bv.Problem:
    """Features with three values, one the mirror of another (2 - x): every split on the one
    ties with a split on the other, with the sides swapped. Test rows also sit on the
    thresholds (halves), where the tied splits send them different ways."""
    rng = np.random.RandomState(3)
    X = rng.randint(0, 3, size=(120, 4)).astype(float)
    X[:, 3] = 2 - X[:, 0]
    y = X @ [3.0, -2.0, 1.0, 0.0] + rng.randint(0, 4, 120)
    if not integer_targets:
        y = y + rng.normal(0, 0.3, 120)
    X_test = rng.randint(0, 5, size=(60, 4)) / 2.0
    indices = bv.bootstrap_indices(len(y), rounds, SEED)
    return bv.Problem(X_test, np.zeros(len(X_test)), X_base=X, y_base=y, indices=indices)


def one_feature(problem: bv.Problem, column: int) -> bv.Problem:
    X, y, indices = problem.resampled()
    X_test = problem.X_test[:, [column]]
    return bv.Problem(X_test, problem.y_test, X_base=X[:, [column]], y_base=y, indices=indices)


PROBLEMS = {
    "diabetes": lambda: lab_problem(12),
    "ties, integer targets": lambda: tie_problem(12, True),
    "ties, float targets": lambda: tie_problem(12, False),
}


def rounds_of(problem: bv.Problem):
    X, y, indices = problem.resampled()
    for rows in indices:
        yield X[rows].astype(np.float32), y[rows]


def direct(X, y, depth, sample_weight=None) -> DecisionTreeRegressor:
    tree = DecisionTreeRegressor(max_depth=depth, random_state=SEED)
    return tree.fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("name", PROBLEMS)
def test_depths_read_off_the_unlimited_tree_are_the_depth_limited_trees(name):
    problem = PROBLEMS[name]()
    X_test32 = problem.X_test.astype(np.float32)
    read_deeper = 0
    for X, y in rounds_of(problem):
        full = direct(X, y, None)
        read = tree_cut.readable(full.tree_, DEPTHS, one_feature=False)
        depths = [d for d, ok in zip(DEPTHS, read, strict=True) if ok]
        cut = tree_cut.depth_predictions(full.tree_, X_test32, depths)
        for depth, predicted in zip(depths, cut, strict=True):
            np.testing.assert_array_equal(predicted, direct(X, y, depth).predict(X_test32))
        read_deeper += sum(d is not None and d > 1 for d in depths)
        assert read[0] and read[-1]  # depth 1 and the unlimited tree, always
    assert read_deeper > 0  # depths past the tree's own were read off too


@pytest.mark.parametrize("name", ["diabetes", "ties, integer targets"])
def test_cutting_where_the_rule_says_no_gives_another_tree(name):
    # Why the rule: the depth-d tree draws its features' order differently after the
    # unlimited tree's first node at depth d, and tied splits then go another way.
    problem = PROBLEMS[name]()
    X_test32 = problem.X_test.astype(np.float32)
    differ = 0
    for X, y in rounds_of(problem):
        full = direct(X, y, None)
        finite = list(range(1, full.get_depth()))
        cut = tree_cut.depth_predictions(full.tree_, X_test32, finite)
        read = tree_cut.readable(full.tree_, finite, one_feature=False)
        for depth, predicted, ok in zip(finite, cut, read, strict=True):
            same = np.array_equal(predicted, direct(X, y, depth).predict(X_test32))
            assert same or not ok
            differ += not same
    assert differ > 0


@pytest.mark.parametrize("name", ["diabetes", "ties, integer targets"])
def test_distinct_rows_weighted_by_their_counts_grow_the_same_trees(name):
    problem = PROBLEMS[name]()
    X_base, y_base, indices = problem.resampled()
    assert tree_cut.exact_sums(y_base, indices.shape[1])
    X_test32 = problem.X_test.astype(np.float32)
    for drawn in indices[:6]:
        rows, counts = tree_cut.distinct_rows(drawn)
        assert len(rows) < len(drawn) and counts.sum() == len(drawn)
        X, y = X_base[drawn].astype(np.float32), y_base[drawn]
        for depth in (1, 3, 6, None):
            plain = direct(X, y, depth)
            weighted = direct(X_base[rows].astype(np.float32), y_base[rows], depth, counts)
            for field in ("feature", "threshold", "value", "children_left", "children_right"):
                np.testing.assert_array_equal(
                    getattr(weighted.tree_, field), getattr(plain.tree_, field)
                )
            np.testing.assert_array_equal(weighted.predict(X_test32), plain.predict(X_test32))


TREE_FIELDS = ("feature", "threshold", "value", "children_left", "children_right", "impurity")


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("weighted", [False, True], ids=["every row", "distinct rows weighted"])
def test_grown_trees_are_the_estimators_trees(name, weighted):
    # scikit-learn's builder called directly (the lab's path) against the estimator's fit,
    # with one RandomState reseeded before each, as the lab does.
    assert tree_grow.direct(), "the direct path is in use with this scikit-learn"
    X_base, y_base, indices = PROBLEMS[name]().resampled()
    random_state = np.random.RandomState(SEED)
    for drawn in indices[:4]:
        rows, counts = tree_cut.distinct_rows(drawn) if weighted else (drawn, None)
        X, y = X_base[rows].astype(np.float32), y_base[rows]
        for depth in (1, 2, 4, 7, None):
            random_state.seed(SEED)
            grown = tree_grow.grow(X, y, counts, depth, random_state)
            fitted = direct(X, y, depth, counts).tree_
            for field in TREE_FIELDS:
                np.testing.assert_array_equal(getattr(grown, field), getattr(fitted, field))


def test_exact_sums_only_for_integer_targets_within_float64():
    assert tree_cut.exact_sums(np.array([25.0, 346.0, -3.0]), 309)
    assert not tree_cut.exact_sums(np.array([25.0, 0.5]), 309)
    assert not tree_cut.exact_sums(np.array([2.0**26, 1.0]), 4)  # 4 * 2**52 = 2**54
    assert tree_cut.exact_sums(np.array([2.0**26, 1.0]), 1)


@pytest.mark.parametrize("name", [*PROBLEMS, "diabetes, bmi alone"])
def test_lab_tree_predictions_equal_direct_fits_at_every_depth(name):
    # One feature: every depth is read off one tree, here from weighted distinct rows.
    problem = one_feature(lab_problem(12), 2) if name.endswith("alone") else PROBLEMS[name]()
    params = BiasVarianceParams(model="tree", mode="bootstrap").effective()
    depths = [1, 2, 3, 5, 8, 12, 30, None]
    P = bv.predictions(problem, params, depths)
    X_test32 = problem.X_test.astype(np.float32)
    for r, (X, y) in enumerate(rounds_of(problem)):
        for d, depth in enumerate(depths):
            np.testing.assert_array_equal(P[d, r], direct(X, y, depth).predict(X_test32))
