"""Classification and trees labs: what the solver choice and the caches buy, side by side.

Run: ``.venv/bin/python benchmarks/bench_classification_trees.py`` (about a minute on two
busy cores). Every line prints the two timings and their ratio; nothing is asserted.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from reglab.core.classification import compute as classification
from reglab.core.classification.params import ClassificationParams
from reglab.core.datasets import data_key
from reglab.core.trees import compute as trees
from reglab.core.trees.params import TreesParams


def seconds(task: Callable[[], object], repeat: int = 1) -> float:
    """The best of ``repeat`` wall-clock timings."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        best = min(best, time.perf_counter() - start)
    return best


def line(what: str, ours: float, other: float, ours_name: str, other_name: str) -> None:
    print(
        f"{what:<58} {ours_name} {ours * 1e3:8.1f} ms   {other_name} {other * 1e3:8.1f} ms"
        f"   x{other / ours:7.2f}"
    )


def bench_solvers() -> None:
    """Our per-penalty solver (lbfgs for none/L2) against saga for everything.

    All under one BLAS thread, as ``classification.run`` fits them.
    """
    X, y = load_breast_cancer(return_X_y=True)

    def cv(**kwargs) -> Callable[[], object]:
        model = LogisticRegression(max_iter=1000, random_state=42, **kwargs)
        return lambda: cross_val_score(make_pipeline(StandardScaler(), model), X, y, cv=5)

    for penalty, C in (("none", np.inf), ("l2", 1.0)):
        ours = seconds(cv(C=C, solver="lbfgs"), repeat=5)
        saga = seconds(cv(C=C, solver="saga"), repeat=3)
        line(f"5-fold CV, penalty={penalty}", ours, saga, "lbfgs", "saga")
    # L1 and elastic net: IRLS-CD against saga in bench_logistic.py.


def bench_classification_cache() -> None:
    """A C change re-uses the accuracy-vs-C curve: only the headline CV is refitted."""
    for penalty in ("l2", "l1"):
        classification.clear_caches()
        cold = seconds(lambda p=penalty: classification.run(ClassificationParams(penalty=p)))
        on_grid = seconds(
            lambda p=penalty: classification.run(ClassificationParams(penalty=p, C=0.1))
        )
        off_grid = seconds(
            lambda p=penalty: classification.run(ClassificationParams(penalty=p, C=0.2))
        )
        line(
            f"classification {penalty}: C=0.1 (on the curve) vs cold",
            on_grid,
            cold,
            "cached",
            "cold ",
        )
        line(
            f"classification {penalty}: C=0.2 (off the curve) vs cold",
            off_grid,
            cold,
            "cached",
            "cold ",
        )


def bench_blas_threads() -> None:
    """The accuracy-vs-C curve's lbfgs fits: one BLAS thread (what run() sets) vs the pool."""
    X, y = load_breast_cancer(return_X_y=True)

    def curve() -> None:
        for C in classification.C_GRID:
            model = LogisticRegression(C=C, max_iter=1000, random_state=42)
            cross_val_score(make_pipeline(StandardScaler(), model), X, y, cv=5)

    default = seconds(curve, repeat=2)
    with threadpool_limits(limits=1, user_api="blas"):
        single = seconds(curve, repeat=2)
    line("l2 CV at 17 C values: 1 BLAS thread vs default pool", single, default, "1 thr ", "pool  ")


def bench_forest_curve() -> None:
    """Accuracy against the number of trees: prefix sums over one forest vs a refit per k."""
    trees.clear_caches()
    params = TreesParams(model="forest")
    split = trees.Split(data_key(params, "classification"), params.test_size, params.seed)
    data = trees.split_data(split)
    model = trees.fit(split, trees.knobs_for(params.effective()))
    reuse = seconds(lambda: trees.forest_accuracy(model, data), repeat=3)

    def refit() -> list[float]:
        return [
            RandomForestClassifier(
                n_estimators=k,
                max_depth=10,
                min_samples_leaf=2,
                max_features="sqrt",
                random_state=42,
            )
            .fit(data.X_train, data.y_train)
            .score(data.X_test, data.y_test)
            for k in range(1, 101)
        ]

    start = time.perf_counter()
    curve = refit()
    refitted = time.perf_counter() - start
    same = curve == [row["test_accuracy"] for row in trees.forest_accuracy(model, data)]
    line(f"forest accuracy vs 1..100 trees (same: {same})", reuse, refitted, "reuse ", "refit ")


def bench_trees_cache() -> None:
    """A max_depth change re-uses the validation curve's fits."""
    for model in ("forest", "boosting"):
        trees.clear_caches()
        cold = seconds(lambda m=model: trees.run(TreesParams(model=m)))
        warm = seconds(lambda m=model: trees.run(TreesParams(model=m, max_depth=2)))
        back = seconds(lambda m=model: trees.run(TreesParams(model=m)))
        line(f"trees {model}: max_depth=2 after a cold run", warm, cold, "cached", "cold ")
        line(f"trees {model}: back to the first params", back, cold, "cached", "cold ")


def main() -> None:
    warnings.simplefilter("ignore", ConvergenceWarning)
    start = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        bench_solvers()
    bench_classification_cache()
    bench_blas_threads()
    bench_forest_curve()
    bench_trees_cache()
    print(f"total {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
