"""Bootstrap ridge on data too big for the rounds x test-rows prediction array.

The exact path (``compute.ridge_predictions``, then ``compute.decompose``) keeps every
round's predictions at every alpha: 21 alphas x 200 rounds x 30,000 test rows is 1 GB for
a CSV of 100,000 rows, 60 times that data's size. Here nothing of that shape exists:

1. Each round's ridge fit at every alpha, from a weighted Gram matrix: a bootstrap sample is
   the base rows weighted by how often they were drawn, so ``PolynomialFeatures ->
   StandardScaler -> Ridge(alpha)`` needs only weighted sums over the base rows (taken in
   chunks, features first centred on the base mean so the sums do not cancel), one
   eigendecomposition per round, and then every alpha in closed form. Kept: each round's
   coefficients and intercept at every alpha on the unscaled features (rounds x alphas x
   features, under 1 MB for the defaults).
2. The decomposition, over blocks of test rows: a block's predictions for every round and
   alpha, reduced at once to the block's share of mlxtend's sums (bias, variance and each
   round's squared error); the blocks' shares are added in order.

Both steps run as units of ``run_units``, so any backend and worker count gives the same
numbers. They equal the exact path's to about 1e-12 (sums in another order, and normal
equations in place of an SVD): ``tests/unit/test_bias_variance_stream.py`` compares them,
and the fits with scikit-learn's pipeline. ``compute.run`` takes this path for ridge in
bootstrap mode when the whole prediction array would pass ``WHOLE_PREDICTIONS_BYTES``.
"""

from __future__ import annotations

import math

import numpy as np

from reglab.core.jobs import check_cancelled
from reglab.core.sweep import Backend, run_units, unit_cancelled

WHOLE_PREDICTIONS_BYTES = 64 * 1024 * 1024  # above this, the streamed path
ROW_CHUNK = 8192  # base rows per step of the weighted sums (1.3 MB for 20 features)
ROUNDS_PER_UNIT = 8
TEST_ELEMENTS = 250_000  # test rows x rounds x alphas in one block of predictions (2 MB)
TEST_UNITS = 32  # units over the test rows (their shares: rounds x alphas floats each)


def streams(values: int, rounds: int, n_test: int) -> bool:
    """Whether the whole prediction array is too big to keep."""
    return values * rounds * n_test * 8 > WHOLE_PREDICTIONS_BYTES


def features(X: np.ndarray, degree: int) -> np.ndarray:
    """``PolynomialFeatures(degree, include_bias=False)``; degree 1 is ``X`` itself."""
    if degree == 1:
        return X
    from sklearn.preprocessing import PolynomialFeatures

    return PolynomialFeatures(degree, include_bias=False).fit_transform(X)


def fit_rounds(F, y, draws, alphas, backend: Backend, progress, cancelled, span):
    """Every round's ridge at every alpha: coefficients (rounds, alphas, p) on the unscaled
    features ``F`` and intercepts (rounds, alphas)."""
    centre, y_centre = F.mean(axis=0), float(y.mean())
    data = (F, y, draws, centre, y_centre, np.asarray(alphas, dtype=float))
    count = -(-len(draws) // ROUNDS_PER_UNIT)
    blocks = run_units(
        _fit_block,
        data,
        count,
        backend,
        progress=progress,
        cancelled=cancelled,
        what="fitting ridge: blocks of rounds",
        span=span,
    )
    return np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])


def _fit_block(data, index: int):
    F, y, draws, centre, y_centre, alphas = data
    rounds = range(index * ROUNDS_PER_UNIT, min((index + 1) * ROUNDS_PER_UNIT, len(draws)))
    fits = [_fit_round(F, y, draws[r], centre, y_centre, alphas) for r in rounds]
    return np.stack([f[0] for f in fits]), np.stack([f[1] for f in fits])


def _fit_round(F, y, drawn, centre, y_centre, alphas):
    """``StandardScaler -> Ridge(alpha)`` on the rows ``drawn`` (with repeats), every alpha."""
    n, p = F.shape
    weight = np.bincount(drawn, minlength=n).astype(np.float64)
    total = float(len(drawn))
    s1, sy = np.zeros(p), 0.0
    gram, fy = np.zeros((p, p)), np.zeros(p)
    for start in range(0, n, ROW_CHUNK):
        check_cancelled(unit_cancelled)
        rows = slice(start, start + ROW_CHUNK)
        Fc, yc, w = F[rows] - centre, y[rows] - y_centre, weight[rows]
        weighted = Fc * w[:, None]
        s1 += weighted.sum(axis=0)
        gram += weighted.T @ Fc
        sy += float(w @ yc)
        fy += weighted.T @ yc
    mean, y_mean = s1 / total, sy / total  # on the centred scale
    covariance = gram / total - np.outer(mean, mean)
    variance = np.clip(np.diag(covariance), 0.0, None)
    # StandardScaler's rule for a constant column (compute._scaled): scale 1.
    true_mean = mean + centre
    eps = np.finfo(np.float64).eps
    constant = variance <= total * eps * variance + (total * true_mean * eps) ** 2
    scale = np.where(constant, 1.0, np.sqrt(variance))
    # The scaled, centred design's Gram matrix and its product with the centred targets.
    StS = total * covariance / np.outer(scale, scale)
    Sty = (fy - total * mean * y_mean) / scale
    eigenvalues, V = np.linalg.eigh(StS)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    projected = V.T @ Sty
    coef_scaled = (projected[None, :] / (eigenvalues[None, :] + alphas[:, None])) @ V.T
    coef = coef_scaled / scale  # (alphas, p) on the unscaled features
    intercept = (y_mean + y_centre) - coef @ true_mean
    return coef, intercept


def decompose_streamed(
    F_test, y_test, coef, intercept, backend: Backend, progress, cancelled, span
):
    """mlxtend's sums from blocks of test rows: bias2, variance and each round's mean
    squared error, per alpha: (alphas,), (alphas,), (alphas, rounds)."""
    rounds, alphas, _ = coef.shape
    n_test = len(y_test)
    rows = max(1, TEST_ELEMENTS // (rounds * alphas))  # one block of predictions
    # A unit sums its blocks in order, so the units' shares (rounds x alphas each) stay few.
    units = min(TEST_UNITS, -(-n_test // rows))
    flat = (coef.reshape(rounds * alphas, -1), intercept.reshape(-1))
    data = (F_test, y_test, *flat, rows, rounds, np.linspace(0, n_test, units + 1).astype(int))
    shares = run_units(
        _test_share,
        data,
        units,
        backend,
        progress=progress,
        cancelled=cancelled,
        what="decomposing: blocks of test rows",
        span=span,
    )
    bias, spread, squared = (sum(share[i] for share in shares) for i in range(3))
    return bias / n_test, spread / (rounds * n_test), squared.T / n_test


def _test_share(data, index: int):
    """One unit: the sums over its part of the test rows, block by block."""
    F_test, y_test, coef, intercept, rows, rounds, edges = data
    alphas = len(intercept) // rounds
    bias, spread, squared = np.zeros(alphas), np.zeros(alphas), np.zeros((rounds, alphas))
    for start in range(edges[index], edges[index + 1], rows):
        check_cancelled(unit_cancelled)
        block = slice(start, min(start + rows, edges[index + 1]))
        y = y_test[block]
        predicted = (F_test[block] @ coef.T + intercept).reshape(len(y), rounds, alphas)
        main = predicted.mean(axis=1)  # over rounds: (t, a)
        bias += ((main - y[:, None]) ** 2).sum(axis=0)
        spread += ((predicted - main[:, None, :]) ** 2).sum(axis=(0, 1))
        squared += ((predicted - y[:, None, None]) ** 2).sum(axis=0)
    return bias, spread, squared


def decomposition(problem, alphas, degree: int, backend: Backend, progress, cancelled):
    """bias2, variance, expected_mse and its standard error per alpha, streamed."""
    X_base, y_base, draws = problem.resampled()
    coef, intercept = fit_rounds(
        features(X_base, degree), y_base, draws, alphas, backend, progress, cancelled, (0.0, 0.8)
    )
    F_test = features(problem.X_test, degree)
    bias2, variance, per_round = decompose_streamed(
        F_test, problem.y_test, coef, intercept, backend, progress, cancelled, (0.8, 0.95)
    )
    expected = per_round.mean(axis=1)
    se = per_round.std(axis=1, ddof=1) / math.sqrt(per_round.shape[1])
    return bias2, variance, expected, se
