"""What the learning curves of the overfitting and classification labs share.

Each lab calls ``sklearn.model_selection.learning_curve`` one training-set size at a time (so
a job reports progress, can be cancelled and caches each size), on folds whose training rows
are put beforehand in the order the whole ``learning_curve(shuffle=True, random_state=seed)``
call would draw its subsets from: the same fits, size by size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def in_drawing_order(folds: Iterable[tuple[np.ndarray, np.ndarray]], seed: int) -> tuple:
    """``folds`` with each training part permuted as ``learning_curve(shuffle=True,
    random_state=seed)`` does: one RandomState(seed) over the folds in turn."""
    rng = np.random.RandomState(seed)
    return tuple((rng.permutation(train), test) for train, test in folds)


def summary(
    sizes: Sequence[int],
    train_scores: Sequence[Sequence[float]],
    test_scores: Sequence[Sequence[float]],
    scoring: str,
) -> dict:
    """Mean and standard deviation over the folds at each size (sizes x folds scores), as
    LearningCurveDisplay draws them."""
    train, test = np.asarray(train_scores), np.asarray(test_scores)
    return {
        "train_sizes": list(sizes),
        "train_mean": np.mean(train, axis=1).tolist(),
        "train_std": np.std(train, axis=1).tolist(),
        "test_mean": np.mean(test, axis=1).tolist(),
        "test_std": np.std(test, axis=1).tolist(),
        "scoring": scoring,
    }
