"""Grow ``DecisionTreeRegressor(max_depth=d, random_state=...)`` trees with scikit-learn's
own tree builder, minus the estimator's per-fit Python work.

The lab grows about 1,800 small trees (200 rounds, ten depths). On the lab's data a fit
through the estimator spends 40-60 % of its time outside the builder, in parameter and input
checks, sample-weight validation and tag lookups; a depth-3 tree takes 220 us through it and
87 us here. ``grow`` builds the same criterion, splitter, ``Tree`` and depth-first builder
that ``BaseDecisionTree._fit`` builds for a regressor with default settings and
``check_input=False``, and runs the same Cython ``build``: the same tree, bit for bit
(``tests/unit/test_bias_variance_trees.py`` compares node arrays with the estimator's).

These classes are scikit-learn internals; if they cannot be imported or built, ``grow``
falls back to the estimator (``direct()`` says which path is in use, checked once).
"""

from __future__ import annotations

from functools import cache

import numpy as np

UNLIMITED_DEPTH = int(np.iinfo(np.int32).max)  # what _fit uses for max_depth=None
MIN_SAMPLES_SPLIT, MIN_SAMPLES_LEAF = 2, 1  # the estimator's defaults


@cache
def _builder_parts():
    try:
        from sklearn.tree._criterion import MSE
        from sklearn.tree._splitter import BestSplitter
        from sklearn.tree._tree import DepthFirstTreeBuilder, Tree
    except ImportError:  # pragma: no cover - another scikit-learn layout
        return None
    return MSE, BestSplitter, DepthFirstTreeBuilder, Tree


def _grow_direct(X32, y, weight, depth, random_state):
    parts = _builder_parts()
    assert parts is not None, "direct() said the builder imports"
    MSE, BestSplitter, DepthFirstTreeBuilder, Tree = parts
    n_samples, n_features = X32.shape
    targets = np.ascontiguousarray(y, dtype=np.float64).reshape(-1, 1)
    if weight is not None:
        weight = np.ascontiguousarray(weight, dtype=np.float64)
    criterion = MSE(1, n_samples)
    # max_features=None -> every feature; min_weight_leaf = 0.0 * n (or * sum(weight)).
    splitter = BestSplitter(criterion, n_features, MIN_SAMPLES_LEAF, 0.0, random_state, None)
    tree = Tree(n_features, np.array([1], dtype=np.intp), 1)
    builder = DepthFirstTreeBuilder(
        splitter,
        MIN_SAMPLES_SPLIT,
        MIN_SAMPLES_LEAF,
        0.0,
        UNLIMITED_DEPTH if depth is None else int(depth),
        0.0,  # min_impurity_decrease
    )
    builder.build(tree, X32, targets, weight, None)
    return tree


def _grow_estimator(X32, y, weight, depth, random_state):
    from sklearn import config_context
    from sklearn.tree import DecisionTreeRegressor

    with config_context(skip_parameter_validation=True):  # our parameters are valid
        estimator = DecisionTreeRegressor(max_depth=depth, random_state=random_state)
        return estimator.fit(X32, y, sample_weight=weight, check_input=False).tree_


@cache
def direct() -> bool:
    """Whether the internals build here, and build the estimator's tree (checked once)."""
    if _builder_parts() is None:
        return False
    rng = np.random.RandomState(0)
    X, y = rng.rand(40, 3).astype(np.float32), rng.rand(40)
    try:
        ours = _grow_direct(X, y, None, 3, np.random.RandomState(0))
    except (TypeError, ValueError):  # pragma: no cover - changed signatures
        return False
    theirs = _grow_estimator(X, y, None, 3, np.random.RandomState(0))
    return bool(np.array_equal(ours.threshold, theirs.threshold)) and bool(
        np.array_equal(ours.value, theirs.value)
    )


def grow(X32: np.ndarray, y: np.ndarray, weight, depth, random_state: np.random.RandomState):
    """The fitted ``tree_`` of ``DecisionTreeRegressor(max_depth=depth,
    random_state=random_state).fit(X32, y, sample_weight=weight, check_input=False)``.
    ``X32``: C-contiguous float32 inputs, as ``fit`` converts them; ``weight``: None or
    float64 sample weights."""
    if direct():
        return _grow_direct(X32, y, weight, depth, random_state)
    return _grow_estimator(X32, y, weight, depth, random_state)  # pragma: no cover
