"""The bias-variance lab's script: every complexity value fitted on every round's training
set with scikit-learn, the decomposition, and the best point."""

from __future__ import annotations

from reglab.core.bias_variance.compute import sweep_values
from reglab.core.bias_variance.params import BiasVarianceParams
from reglab.core.scripts import data_code, footer, header

SIMULATE = """# Fresh training sets from y = sin(2 pi x) + noise, all drawn up front from one seed;
# a fixed grid of 100 test points, with fresh noisy targets for every round.
rng = np.random.RandomState({seed})
x = rng.uniform(0, 1, ({rounds}, {n_train}))
y = np.sin(2 * np.pi * x) + rng.normal(0, {noise!r}, ({rounds}, {n_train}))
grid = np.linspace(0, 1, 100)
truth = np.sin(2 * np.pi * grid)
y_test = truth + rng.normal(0, {noise!r}, ({rounds}, 100))


def predictions(value):
    return np.stack([model(value).fit(x[r][:, None], y[r]).predict(grid[:, None])
                     for r in range({rounds})])


def decompose(P):
    main = P.mean(axis=0)
    per_round = np.mean((P - y_test) ** 2, axis=1)
    return {{
        "bias2": float(np.mean((main - truth) ** 2)),
        "variance": float(np.mean(P.var(axis=0))),
        "expected_mse": float(per_round.mean()),
    }}
"""

BOOTSTRAP = """# mlxtend's bias_variance_decomp: a 70/30 split, then at every value the same
# bootstrap samples, RandomState(seed) drawing choice(n, n) for each round.
X_train, X_test, y_train, y_test = train_test_split(
    np.asarray(X, dtype=float),
    np.asarray(y, dtype=float),
    test_size=0.3,
    random_state={seed},
)


def predictions(value):
    rng = np.random.RandomState({seed})
    rows = [rng.choice(np.arange(len(y_train)), size=len(y_train), replace=True)
            for _ in range({rounds})]
    return np.stack([model(value).fit(X_train[r], y_train[r]).predict(X_test) for r in rows])


def decompose(P):
    main = P.mean(axis=0)
    return {{
        "bias2": float(np.sum((main - y_test) ** 2) / y_test.size),
        "variance": float(np.sum((main - P) ** 2) / P.size),
        "expected_mse": float(np.mean(np.mean((P - y_test) ** 2, axis=1))),
    }}
"""


def render(params: BiasVarianceParams) -> str:
    p = params.effective()
    bootstrap = p.mode == "bootstrap"
    values = sweep_values(p, p.n_train if not bootstrap else 10**9)
    model = {
        "ridge": "make_pipeline("
        "PolynomialFeatures({degree}), StandardScaler(), Ridge(alpha=value))",
        "tree": "DecisionTreeRegressor(max_depth=value, random_state={seed})",
        "knn": "KNeighborsRegressor(n_neighbors=value)",
    }[p.model].format(degree=p.degree, seed=p.seed)
    fields = {"seed": p.seed, "rounds": p.rounds, "n_train": p.n_train, "noise": p.noise}
    body = (BOOTSTRAP if bootstrap else SIMULATE).format(**fields)
    data = data_code(p, "regression") if bootstrap else ""
    return (
        header(p)
        + f"""
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.tree import DecisionTreeRegressor

{data}

def model(value):
    return {model}


{body}
values = {values!r}  # simplest model first
points = [{{"value": value, **decompose(predictions(value))}} for value in values]
best = min(points, key=lambda point: point["expected_mse"])
"""
        + footer(
            """{
    "best.value": best["value"],
    "best.bias2": best["bias2"],
    "best.variance": best["variance"],
    "best.expected_mse": best["expected_mse"],
}"""
        )
    )
