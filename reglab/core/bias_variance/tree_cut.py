"""Shallower regression trees read off one unlimited tree — where that gives exactly the tree
``DecisionTreeRegressor(max_depth=d, random_state=seed)`` grows — and bootstrap samples grown
as their distinct rows with counts for weights.

scikit-learn grows a tree depth first (node ids are in that order) and, at every node it
tries to split, visits the features in an order drawn from one random stream; among
features whose best splits are exactly equally good, the first visited wins. The stream
advances at every node tried, so a depth-d tree, which never tries the nodes at depth d,
draws other orders than the unlimited tree for every node it tries after the unlimited
tree's first try at depth d. The unlimited tree cut at depth d (a node at depth d predicts
its own ``value``, the mean of its samples) is therefore the depth-d tree when
(``readable``):

- every node the unlimited tree tries above depth d is tried before any node at depth d
  or deeper: then both trees make the same draws at every node the depth-d tree tries.
  Always so for d = 1 and for d beyond the tree's depth, rarely in between;
- or there is one feature: no order to draw, and nodes hold their samples in the same order,
  so the same sums.

Not readable between those, and not rescued by checking for ties: bootstrap samples repeat
rows, so small nodes often hold copies of two distinct rows, and every feature on which
they differ splits them equally well while sending test rows different ways. On the lab's
default (diabetes, 200 rounds) the cut tree differs from the depth-d tree in 16 rounds at
depth 3, 117 at depth 4 and all 200 from depth 6 on. A certificate that finds every tie
the cut passes through certified only depths <= 3 and cost more than the fits it spared.
"""

from __future__ import annotations

import numpy as np


def node_depths(tree) -> np.ndarray:
    """Depth of every node of a fitted scikit-learn ``tree_``, level by level."""
    depth = np.zeros(tree.node_count, dtype=np.intp)
    level, frontier = 0, np.array([0])
    while frontier.size:
        children = np.concatenate([tree.children_left[frontier], tree.children_right[frontier]])
        frontier = children[children >= 0]
        level += 1
        depth[frontier] = level
    return depth


def readable(tree, depths: list, one_feature: bool) -> list[bool]:
    """For each depth (None = unlimited): whether the unlimited ``tree`` (a fitted ``tree_``)
    cut there is exactly scikit-learn's tree of that depth, by the rule in the module
    docstring."""
    if one_feature:
        return [True] * len(depths)
    depth = node_depths(tree)
    # The nodes scikit-learn tried to split: every split node, and every leaf with two samples
    # of different targets (it tests impurity > machine epsilon; impurity > 0 may count a
    # leaf it never tried, which only reads fewer depths off).
    tried = (tree.children_left >= 0) | ((tree.n_node_samples >= 2) & (tree.impurity > 0))
    ids = np.flatnonzero(tried)
    tried_depth = depth[ids]
    out = []
    for d in depths:
        if d is None:
            out.append(True)
            continue
        above, at_or_below = ids[tried_depth < d], ids[tried_depth >= d]
        out.append(at_or_below.size == 0 or above.max() < at_or_below.min())
    return out


def depth_predictions(tree, X_test32: np.ndarray, depths: list) -> np.ndarray:
    """Predictions of the fitted ``tree_`` cut at each depth (None = uncut): (depths,
    n_test). Rows go left when their float32 value is <= the threshold, as ``predict`` sends
    them."""
    leaf = tree.children_left < 0
    feature = np.where(leaf, 0, tree.feature)
    values = tree.value[:, 0, 0]
    X = X_test32.astype(np.float64)
    rows = np.arange(len(X))
    node = np.zeros(len(X), dtype=np.intp)
    by_depth = [values[node]]
    for _ in range(tree.max_depth):
        left = X[rows, feature[node]] <= tree.threshold[node]
        child = np.where(left, tree.children_left[node], tree.children_right[node])
        node = np.where(leaf[node], node, child)
        by_depth.append(values[node])
    top = len(by_depth) - 1
    return np.stack([by_depth[top if d is None else min(int(d), top)] for d in depths])


def exact_sums(y: np.ndarray, rows: int) -> bool:
    """Whether every sum the squared-error criterion forms over ``rows`` samples of ``y`` —
    of (weighted) targets and squared targets, in any order — is exact in float64: integer
    targets, and ``rows`` times the largest square below 2**53. Then the order of a node's
    samples cannot change a single bit, and a row's copies may be one row weighted by their
    count (``distinct_rows``): the same splits, thresholds and node values."""
    if not np.all(y == np.round(y)):
        return False
    return rows * float(np.max(y * y, initial=0.0)) < 2.0**53


def distinct_rows(indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A bootstrap sample's distinct rows (sorted) and how often each was drawn (float64)."""
    rows, counts = np.unique(indices, return_counts=True)
    return rows, counts.astype(np.float64)
