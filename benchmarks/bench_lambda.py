"""The lambda lab against the straightforward library calls, measured side by side.

Run: ``.venv/bin/python benchmarks/bench_lambda.py`` (about a minute). The bias-variance
lab has ``bench_bias_variance.py``.

- lambda finder vs ``GridSearchCV`` on the same alpha grid and folds, for lasso, elastic
  net, ridge and L2 logistic (goal: >= 10x faster, same alpha_min), and lasso / elastic net
  vs ``LassoCV`` / ``ElasticNetCV`` themselves (goal: at most 1.2x their time, while also
  giving the standard-error band, alpha_1se, the non-zero counts and two refits);

Times are the best of a few repeats (the machine is shared); the slow reference runs once
where it takes seconds. Both sides run with one BLAS thread (``reglab.core.blas``), the
setting the labs use, so the ratios measure the algorithms, not OpenBLAS's thread start-up.
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from benchmarks.timing import best_time, verdict

LAMBDA_SPEEDUP_GOAL = 10.0  # x GridSearchCV's time
LAMBDA_CV_GOAL = 1.2  # x LassoCV's / ElasticNetCV's time at most
# Runs of ~10 ms swing by 2x when the other core is busy: the best of many is their cost.
SHORT_REPEATS = 15


def lambda_rows() -> list[str]:
    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)
    rows = []
    for model in ("lasso", "elasticnet", "ridge"):
        rows += _lambda_regression_rows(model)
    rows.append(_lambda_logistic_row())
    return rows


def _lambda_regression_rows(model: str) -> list[str]:
    from sklearn.linear_model import ElasticNet, ElasticNetCV, Lasso, LassoCV, Ridge
    from sklearn.model_selection import GridSearchCV, KFold

    from reglab.core.datasets import penalties_reference
    from reglab.core.lambda_finder.compute import run
    from reglab.core.lambda_finder.params import LambdaParams

    reference = penalties_reference(42)
    X, y = reference.X, reference.y
    params = LambdaParams(model=model)
    run(params)  # warm the data cache and imports
    ours, result = best_time(lambda: run(params), SHORT_REPEATS)
    grid = list(result.alphas)
    l1_ratio = params.effective().l1_ratio
    estimator = {"lasso": Lasso(), "ridge": Ridge()}.get(model, ElasticNet(l1_ratio=l1_ratio))
    search_time, search = best_time(
        lambda: GridSearchCV(
            estimator, {"alpha": grid}, cv=KFold(5), scoring="neg_mean_squared_error"
        ).fit(X, y),
        2,
    )
    same = search.best_params_["alpha"] == result.alpha_min
    ratio = search_time / ours
    rows = [
        f"lambda {model:<10} {len(grid)} alphas x 5 folds: ours {ours * 1e3:7.1f} ms, "
        f"GridSearchCV {search_time * 1e3:7.1f} ms -> {ratio:5.1f}x faster "
        f"(goal >= {LAMBDA_SPEEDUP_GOAL:g}x: {verdict(ratio >= LAMBDA_SPEEDUP_GOAL)}); "
        f"same alpha_min: {same}"
    ]
    if model == "ridge":
        return rows
    name = "LassoCV" if model == "lasso" else "ElasticNetCV"
    cv_time, fitted = best_time(
        lambda: (
            LassoCV(alphas=grid, cv=5)
            if model == "lasso"
            else ElasticNetCV(alphas=grid, l1_ratio=l1_ratio, cv=5)
        ).fit(X, y),
        SHORT_REPEATS,
    )
    share = ours / cv_time
    rows.append(
        f"lambda {model:<10} vs {name}: ours {ours * 1e3:7.1f} ms (curve, SE band, alpha_1se, "
        f"n_nonzero, 2 refits), {name} {cv_time * 1e3:7.1f} ms -> ours takes {share:4.2f}x "
        f"(goal <= {LAMBDA_CV_GOAL:g}x: {verdict(share <= LAMBDA_CV_GOAL)}); "
        f"same alpha_min: {fitted.alpha_ == result.alpha_min}"
    )
    return rows


def _lambda_logistic_row() -> str:
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from reglab.core.lambda_finder.compute import run
    from reglab.core.lambda_finder.params import LambdaParams

    X, y = load_breast_cancer(return_X_y=True)
    params = LambdaParams(model="logistic")
    run(params)
    ours, result = best_time(lambda: run(params), 7)
    Cs = [1 / a for a in result.alphas]
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    search_time, search = best_time(
        lambda: GridSearchCV(
            pipeline, {"logisticregression__C": Cs}, cv=StratifiedKFold(5), scoring="accuracy"
        ).fit(X, y),
        2,
    )
    same = np.isclose(1 / search.best_params_["logisticregression__C"], result.alpha_min)
    ratio = search_time / ours
    return (
        f"lambda logistic   {len(Cs)} C values x 5 folds (L2, breast_cancer): ours "
        f"{ours * 1e3:7.1f} ms, GridSearchCV {search_time * 1e3:7.1f} ms -> {ratio:5.1f}x "
        f"faster (goal >= {LAMBDA_SPEEDUP_GOAL:g}x: {verdict(ratio >= LAMBDA_SPEEDUP_GOAL)}); "
        f"same alpha_min: {same}"
    )


def main() -> None:
    from reglab.core.blas import single_blas_thread

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"cores: {os.cpu_count()}, BLAS threads: 1 (both sides), "
        f"load average before the run: {load:.2f}"
    )
    with single_blas_thread():
        for row in lambda_rows():
            print(row, flush=True)


if __name__ == "__main__":
    main()
