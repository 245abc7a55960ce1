"""The lambda lab's script: LassoCV / ElasticNetCV (or a ridge fit per fold and alpha) on
the lab's grid, alpha_min and glmnet's one-standard-error alpha_1se."""

from __future__ import annotations

from reglab.core.lambda_finder.params import LambdaParams
from reglab.core.scripts import data_code, footer, header, refuse


def render(params: LambdaParams) -> str:
    p = params.effective()
    refuse(
        p.model == "logistic",
        "model=logistic: the lab walks each fold's exact optimum by Newton's method, which "
        "scikit-learn's solvers only approach",
    )
    splitter = {"kfold": "KFold", "timeseries": "TimeSeriesSplit"}[p.splitter]
    scale = "X = StandardScaler().fit_transform(X)\n" if p.standardize else ""
    if p.alphas:
        grid = f"alphas = np.unique(np.asarray({list(p.alphas)!r}, dtype=float))[::-1]\n"
    elif p.model == "ridge":
        grid = """# The ridge alphas that matter for these data: around the squared singular values.
squares = np.linalg.svd(X - X.mean(axis=0), compute_uv=False) ** 2
weakest = squares[squares > squares[0] * 1e-12][-1] / 10
low = min(max(weakest, squares[0] * 1e-10), squares[0] * 1e-5)
alphas = np.logspace(np.log10(squares[0] * 10), np.log10(low), 50)
"""
    else:
        ratio = 1.0 if p.model == "lasso" else max(p.l1_ratio, 1e-3)
        grid = f"""# From alpha_max (the smallest alpha that zeroes every coefficient) down four
# decades (two when there are more features than rows), 50 values.
Xc = X - X.mean(axis=0)
alpha_max = np.max(np.abs(Xc.T @ (y - y.mean()))) / (len(y) * {ratio!r})
decades = 4.0 if X.shape[0] > X.shape[1] else 2.0
alphas = np.logspace(np.log10(alpha_max), np.log10(alpha_max * 10**-decades), 50)
"""
    if p.model == "ridge":
        search = f"""
cv = {splitter}(n_splits={p.folds})
scores = np.array([
    [np.mean((Ridge(alpha=a).fit(X[train], y[train]).predict(X[test]) - y[test]) ** 2)
     for a in alphas]
    for train, test in cv.split(X, y)
])
"""
        refit = "Ridge(alpha=alphas[{i}]).fit(X, y).coef_"
    else:
        search = f"""
search = ElasticNetCV(l1_ratio={p.l1_ratio!r}, alphas=alphas, cv={splitter}(n_splits={p.folds}))
search.fit(X, y)
scores = search.mse_path_.T  # folds x alphas, the alphas largest first as given
"""
        refit = f"ElasticNet(alpha=alphas[{{i}}], l1_ratio={p.l1_ratio!r}).fit(X, y).coef_"
    return (
        header(p)
        + f"""
import numpy as np
from sklearn.linear_model import ElasticNet, ElasticNetCV, Ridge
from sklearn.model_selection import KFold, TimeSeriesSplit
from sklearn.preprocessing import StandardScaler

{data_code(p, "regression")}y = np.asarray(y, dtype=float)
{scale}{grid}{search}
mean = scores.mean(axis=0)
se = scores.std(axis=0, ddof=1) / np.sqrt(len(scores))  # glmnet's cvsd
index_min = int(np.argmin(mean))  # on ties the largest alpha
within = np.flatnonzero(mean <= mean[index_min] + se[index_min])
index_1se = int(within[np.argmax(alphas[within])])  # glmnet's lambda.1se
coef_min = {refit.format(i="index_min")}
coef_1se = {refit.format(i="index_1se")}
"""
        + footer(
            """{
    "alpha_min": float(alphas[index_min]),
    "alpha_1se": float(alphas[index_1se]),
    "n_nonzero_min": int(np.count_nonzero(coef_min)),
    "n_nonzero_1se": int(np.count_nonzero(coef_1se)),
    "score_min": float(mean[index_min]),
}"""
        )
    )
