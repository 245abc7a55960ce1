"""Labs 6 and 7 against the straightforward library calls, measured side by side.

Run: ``.venv/bin/python benchmarks/bench_lambda_bias_variance.py`` (about a minute).

- lambda finder vs ``GridSearchCV`` on the same alpha grid and folds (goal: >= 10x faster,
  same alpha_min), and vs ``LassoCV`` itself (goal: no slower than 1.5x ``LassoCV``, while
  also giving the standard-error band, alpha_1se and the non-zero counts);
- bias-variance bootstrap mode vs ``mlxtend.evaluate.bias_variance_decomp`` at equal rounds
  on diabetes (goal: >= 10x faster for ridge, >= 1.8x for trees and k-NN), same numbers.

Times are the best of a few repeats (the machine is shared); the slow reference runs once
where it takes seconds. Both sides run with one BLAS thread (``reglab.core.blas``), the
setting the labs use, so the ratios measure the algorithms, not OpenBLAS's thread start-up.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable

import numpy as np


def best_time(function: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Fastest wall time of ``repeats`` calls, and the last call's value."""
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return min(times), value


def verdict(met: bool) -> str:
    return "goal met" if met else "GOAL MISSED"


def lambda_rows() -> list[str]:
    from sklearn.datasets import load_breast_cancer
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Lasso, LassoCV, LogisticRegression, Ridge
    from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from reglab.core.datasets import penalties_reference
    from reglab.core.lambda_finder.compute import run
    from reglab.core.lambda_finder.params import LambdaParams

    warnings.simplefilter("ignore", ConvergenceWarning)
    reference = penalties_reference(42)
    X, y = reference.X, reference.y
    rows = []
    for model in ("lasso", "ridge"):
        params = LambdaParams(model=model)
        run(params)  # warm the data cache and imports
        ours, result = best_time(lambda p=params: run(p), 5)
        grid = list(result.alphas)
        estimator = Lasso() if model == "lasso" else Ridge()
        search_time, search = best_time(
            lambda e=estimator, g=grid: GridSearchCV(
                e, {"alpha": g}, cv=KFold(5), scoring="neg_mean_squared_error"
            ).fit(X, y),
            2,
        )
        same = search.best_params_["alpha"] == result.alpha_min
        ratio = search_time / ours
        rows.append(
            f"lambda {model:<8} {len(grid)} alphas x 5 folds: ours {ours * 1e3:7.1f} ms, "
            f"GridSearchCV {search_time * 1e3:7.1f} ms -> {ratio:5.1f}x faster "
            f"(goal >= 10x: {verdict(ratio >= 10)}); same alpha_min: {same}"
        )
        if model == "lasso":
            cv_time, lasso_cv = best_time(lambda g=grid: LassoCV(alphas=g, cv=5).fit(X, y), 5)
            slower = ours / cv_time
            rows.append(
                f"lambda lasso    vs LassoCV: ours {ours * 1e3:7.1f} ms (curve, SE band, "
                f"alpha_1se, n_nonzero, 2 refits), LassoCV {cv_time * 1e3:7.1f} ms -> "
                f"ours takes {slower:4.2f}x LassoCV (goal <= 1.5x: {verdict(slower <= 1.5)}); "
                f"same alpha_min: {lasso_cv.alpha_ == result.alpha_min}"
            )
    X_bc, y_bc = load_breast_cancer(return_X_y=True)
    params = LambdaParams(model="logistic")
    ours, result = best_time(lambda: run(params), 2)
    Cs = [1 / a for a in result.alphas]
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    search_time, search = best_time(
        lambda: GridSearchCV(
            pipeline, {"logisticregression__C": Cs}, cv=StratifiedKFold(5), scoring="accuracy"
        ).fit(X_bc, y_bc),
        1,
    )
    same = np.isclose(1 / search.best_params_["logisticregression__C"], result.alpha_min)
    ratio = search_time / ours
    rows.append(
        f"lambda logistic {len(Cs)} C values x 5 folds (L2, breast_cancer): ours "
        f"{ours * 1e3:7.1f} ms, GridSearchCV {search_time * 1e3:7.1f} ms -> {ratio:5.1f}x "
        f"faster (goal >= 10x: {verdict(ratio >= 10)}); same alpha_min: {same}"
    )
    return rows


def bias_variance_rows(rounds: int) -> list[str]:
    from mlxtend.evaluate import bias_variance_decomp
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split

    from reglab.core.bias_variance import compute as bv
    from reglab.core.bias_variance.params import BiasVarianceParams

    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=42)
    rows = []
    goals = {"ridge": 10.0, "tree": 1.8, "knn": 1.8}
    for model, goal in goals.items():
        params = BiasVarianceParams(model=model, mode="bootstrap", rounds=rounds)
        bv.run(BiasVarianceParams(model=model, mode="bootstrap", rounds=2))  # warm up
        ours, result = best_time(lambda p=params: bv.run(p), 3)
        values = [point["value"] for point in result.points]
        degree = params.effective().degree

        def reference(values=values, model=model, degree=degree):
            return [
                bias_variance_decomp(
                    bv.reference_estimator(model, value, degree, 42),
                    X_train,
                    y_train,
                    X_test,
                    y_test,
                    loss="mse",
                    num_rounds=rounds,
                    random_seed=42,
                )
                for value in values
            ]

        mlxtend_time, expected = best_time(reference, 1)
        got = [[p["expected_mse"], p["bias2"], p["variance"]] for p in result.points]
        gap = float(np.max(np.abs(np.asarray(got) - np.asarray(expected))))
        ratio = mlxtend_time / ours
        rows.append(
            f"bias-variance {model:<5} {len(values):2d} values x {rounds} rounds: ours "
            f"{ours:6.3f} s, mlxtend {mlxtend_time:6.3f} s -> {ratio:5.1f}x faster "
            f"(goal >= {goal:g}x: {verdict(ratio >= goal)}); max |diff| {gap:.1e}"
        )
    return rows


def main() -> None:
    from reglab.core.bias_variance import compute as bv
    from reglab.core.blas import single_blas_thread

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"cores: {os.cpu_count()}, bias-variance threads: {bv.Backend().size}, BLAS threads: 1 "
        f"(both sides), load average before the run: {load:.2f}"
    )
    with single_blas_thread():
        for row in lambda_rows():
            print(row, flush=True)
        for row in bias_variance_rows(rounds=200):
            print(row, flush=True)


if __name__ == "__main__":
    main()
