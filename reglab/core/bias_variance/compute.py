"""Lab 7 — bias-variance: the trade-off, measured.

simulate (truth known): ``y = sin(2πx) + N(0, noise)``, ``x ~ U[0, 1]``. ``rounds`` training
sets of ``n_train`` points are drawn once from ``RandomState(seed)`` and reused at every
complexity value — the same seed at every value, as mlxtend's bootstrap does, so the curves
differ only by the model and are smooth. Each fit predicts on a fixed grid of 100 points in
[0, 1]; with ``pred`` the rounds x grid predictions and ``f`` the true curve:

- ``bias2 = mean_grid((mean_rounds(pred) - f)^2)``,
- ``variance = mean_grid(var_rounds(pred))`` (population variance, ``ddof=0``), so that
  ``bias2 + variance`` is exactly the mean squared distance of the fits from ``f``,
- ``noise = noise^2``,
- ``expected_mse`` is *measured*, not summed: every round also draws fresh noisy targets
  on the grid, and ``expected_mse`` is the mean squared error against them. It therefore
  agrees with ``bias2 + variance + noise`` only up to sampling error, which
  ``expected_mse_se`` (standard deviation of the per-round MSEs over ``sqrt(rounds)``)
  estimates — the check that the parts add up.

bootstrap (mlxtend's scheme): ``train_test_split(X, y, test_size=0.3, random_state=seed)``,
then per complexity value exactly ``mlxtend.evaluate.bias_variance_decomp(model, X_train,
y_train, X_test, y_test, loss='mse', num_rounds=rounds, random_seed=seed)``: ``RandomState(seed)``,
one ``choice(n, n, replace=True)`` bootstrap sample per round. Its "bias" is bias² measured
against the noisy test targets (so it contains the noise, and ``noise`` is 0 here);
``expected_mse`` is its average expected loss and equals ``bias2 + variance`` exactly.

The models are the estimators ``reference_estimator`` builds. Faster than fitting them one by
one, with the same numbers:

- ridge: ``PolynomialFeatures(degree) -> StandardScaler -> Ridge(alpha)``, batched in numpy:
  one SVD per training set serves every alpha (closed form), all rounds stacked; in
  bootstrap mode on data whose whole prediction array would be too big (``ridge_stream``),
  weighted Gram matrices instead, and the decomposition summed over blocks of test rows;
- tree: one unlimited tree per round, and every depth read off it where that is exactly the
  depth-limited tree (``tree_cut``): all depths with one feature (simulate); with more, depth
  1 and the depths past the tree's own, the others fitted one by one — tied splits make the
  cut tree differ there. Bootstrap samples with integer targets are fitted as their distinct
  rows weighted by their counts: the same trees from about two thirds of the rows;
- k-NN: neighbours found once by sorting distances; every k reads the same sorted list. In
  bootstrap mode this is exact unless two distinct training rows lie at the same distance
  from a test row, in which case scikit-learn's own tie-breaking is used (one fit per k and
  round).

The sweep runs through ``reglab.core.sweep.run_units`` on the backend the params name (local
threads or a Dask cluster): its units are blocks of rounds — (value, block of rounds) pairs
where each value needs its own fit — each returning its block of predictions, assembled in
index order. The data every unit reads (the training draws, the base rows' features, the
sorted neighbours) is built once here; the rounds' draws are made beforehand from the seed,
so every backend and worker count gives the same numbers, bit for bit.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import partial

import numpy as np

from reglab.core.bias_variance import ridge_stream, tree_cut, tree_grow
from reglab.core.bias_variance.params import BiasVarianceParams
from reglab.core.datasets import data_key, load
from reglab.core.errors import ParamError
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.results import LabResult
from reglab.core.sweep import Backend, run_units, unit_cancelled

GRID_POINTS = 100
TEST_SIZE = 0.3
# Default sweeps, simplest model first (points are always ordered that way).
DEFAULT_ALPHAS = tuple(float(a) for a in np.logspace(3, -7, 21))
DEFAULT_DEPTHS: tuple[int | None, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 10, None)
DEFAULT_KS = (20, 15, 10, 7, 5, 3, 2, 1)
COMPLEXITY_NAMES = {"ridge": "alpha", "tree": "max_depth", "knn": "k"}
MAX_POLY_FEATURES = 2000
# The size of a unit of the sweep (a block of rounds), tens of milliseconds on the defaults:
RIDGE_ELEMENTS = 250_000  # rounds x rows x features in one batched SVD step (~2 MB of floats)
KNN_ELEMENTS = 1_000_000  # rounds x test rows x training rows in one batched sort
FIT_ELEMENTS = 200_000  # rounds x rows x features of the scikit-learn fits in one unit ...
FIT_ROUNDS = 20  # ... and at most this many rounds


def truth(x: np.ndarray) -> np.ndarray:
    return np.sin(2 * np.pi * x)


@dataclass(frozen=True)
class BiasVarianceResult(LabResult):
    """The U curve. ``points`` run from the simplest model to the most complex.

    Chart fields: ``points`` (x = ``value``, on a log axis when ``log_scale``; curves
    ``bias2``, ``variance``, ``expected_mse`` and the flat ``noise``), ``best`` (marker),
    ``expected_mse_se`` (error bars, parallel to ``points``), and in simulate mode
    ``fit_at_best`` {``x``, ``truth``, ``mean``, ``low``, ``high``}: the mean fit at the best
    point with a band of ±1 standard deviation over rounds (null in bootstrap mode).
    """

    params: BiasVarianceParams  # narrows LabResult.params (same field, same place)
    complexity_name: str  # alpha (ridge), max_depth (tree; value null = unlimited), k (knn)
    points: list[dict]  # [{value, bias2, variance, noise, expected_mse}]
    best: dict  # the point with the lowest expected_mse
    expected_mse_se: list[float]
    log_scale: bool
    n_test: int  # grid points (simulate) or held-out rows (bootstrap)
    fit_at_best: dict | None


@dataclass(frozen=True)
class Problem:
    """The rounds' training sets and the test points.

    simulate: ``X_train`` (rounds, n, 1) and ``y_train`` (rounds, n) are fresh draws; the
    test targets ``y_test`` are fresh noisy draws per round (rounds, n_test) and ``f_test``
    is the noiseless truth. bootstrap: round r trains on rows ``indices[r]`` of
    ``X_base``/``y_base``; ``y_test`` (n_test,) are the held-out targets, ``f_test`` is None.
    """

    X_test: np.ndarray  # (n_test, features)
    y_test: np.ndarray
    f_test: np.ndarray | None = None
    X_train: np.ndarray | None = None
    y_train: np.ndarray | None = None
    X_base: np.ndarray | None = None
    y_base: np.ndarray | None = None
    indices: np.ndarray | BootstrapDraws | None = None

    def simulated(self) -> tuple[np.ndarray, np.ndarray]:
        """simulate mode: the fresh training sets ``X_train``, ``y_train``."""
        assert self.X_train is not None and self.y_train is not None, "a bootstrap problem"
        return self.X_train, self.y_train

    def resampled(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | BootstrapDraws]:
        """bootstrap mode: the base rows and each round's row indices."""
        X, y, indices = self.X_base, self.y_base, self.indices
        assert X is not None and y is not None and indices is not None, "a simulated problem"
        return X, y, indices

    @property
    def rounds(self) -> int:
        return len(self.indices) if self.indices is not None else len(self.simulated()[1])

    @property
    def n_train(self) -> int:
        draws = self.indices if self.indices is not None else self.simulated()[1]
        return draws.shape[1]


# --- the problems ------------------------------------------------------------------------


def simulate_problem(params: BiasVarianceParams) -> Problem:
    """All random draws of simulate mode, from one ``RandomState(seed)``."""
    rng = np.random.RandomState(params.seed)
    shape = (params.rounds, params.n_train)
    x = rng.uniform(0, 1, shape)
    y = truth(x) + rng.normal(0, params.noise, shape)
    grid = np.linspace(0, 1, GRID_POINTS)
    f = truth(grid)
    y_test = f + rng.normal(0, params.noise, (params.rounds, GRID_POINTS))
    return Problem(grid[:, None], y_test, f, X_train=x[..., None], y_train=y)


def bootstrap_indices(n: int, rounds: int, seed: int) -> np.ndarray:
    """mlxtend's draws: ``RandomState(seed)``, one ``choice(n, n, replace=True)`` per round."""
    return BootstrapDraws(n, rounds, seed)[:]


class BootstrapDraws:
    """mlxtend's draws (``bootstrap_indices``), drawn again when asked for: ``draws[r]`` and
    ``draws[a:b]`` are those rounds' row numbers, bit for bit. Only the generator's state at
    the start of each round is kept (2.5 kB), not rounds x n row numbers: 112 MB for 200
    rounds of 70,000 rows, seven times that data set's own size."""

    def __init__(self, n: int, rounds: int, seed: int) -> None:
        self.n = n
        rng = np.random.RandomState(seed)
        self._states = []
        for _ in range(rounds):
            self._states.append(rng.get_state())
            self._draw(rng)
        self._local = threading.local()  # a generator per thread to restore states into

    def __getstate__(self) -> dict:  # to a Dask worker: the states, not the generators
        return {"n": self.n, "_states": self._states}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _local=threading.local())

    def _draw(self, rng: np.random.RandomState) -> np.ndarray:
        return rng.choice(self.n, size=self.n, replace=True)  # = choice(np.arange(n), ...)

    def __len__(self) -> int:
        return len(self._states)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self), self.n

    def __getitem__(self, rounds):
        if isinstance(rounds, slice):
            picked = range(*rounds.indices(len(self)))
            return np.stack([self[r] for r in picked]) if picked else np.empty((0, self.n), int)
        rng = getattr(self._local, "rng", None)
        if rng is None:  # seeding a new generator costs 3x a round of 300 draws
            rng = self._local.rng = np.random.RandomState(0)
        rng.set_state(self._states[rounds])
        return self._draw(rng)

    def __iter__(self):
        return (self[r] for r in range(len(self)))


def bootstrap_problem(params: BiasVarianceParams) -> Problem:
    from sklearn.model_selection import train_test_split

    data = load(data_key(params, "regression"))
    X_train, X_test, y_train, y_test = train_test_split(
        np.asarray(data.X, dtype=float),
        np.asarray(data.y, dtype=float),
        test_size=TEST_SIZE,
        random_state=params.seed,
    )
    draws = BootstrapDraws(len(y_train), params.rounds, params.seed)
    return Problem(X_test, y_test, X_base=X_train, y_base=y_train, indices=draws)


# --- sweeps and reference estimators -----------------------------------------------------


def sweep_values(params: BiasVarianceParams, n_train: int) -> list:
    """Complexity values, simplest model first, duplicates removed; the default k sweep
    keeps the k that fit in a training set of ``n_train`` rows."""
    if params.model == "ridge":
        values = {float(v) for v in params.values} if params.values else set(DEFAULT_ALPHAS)
        return sorted(values, reverse=True)  # large alpha = simple
    if params.model == "knn":
        default = {k for k in DEFAULT_KS if k <= n_train}
        ks = {int(v) for v in params.values} if params.values else default
        return sorted(ks, reverse=True)  # large k = simple
    depths: set[float | None] = set(params.values) if params.values else set(DEFAULT_DEPTHS)
    finite = sorted(int(v) for v in depths if v is not None)
    return finite + ([None] if None in depths else [])


def reference_estimator(model: str, value, degree: int, seed: int):
    """The scikit-learn estimator this lab's numbers equal (what mlxtend is given)."""
    if model == "ridge":
        from sklearn.linear_model import Ridge
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import PolynomialFeatures, StandardScaler

        return make_pipeline(PolynomialFeatures(degree), StandardScaler(), Ridge(alpha=value))
    if model == "tree":
        from sklearn.tree import DecisionTreeRegressor

        return DecisionTreeRegressor(max_depth=value, random_state=seed)
    from sklearn.neighbors import KNeighborsRegressor

    return KNeighborsRegressor(n_neighbors=value)


# --- units of the sweep: blocks of rounds -------------------------------------------------


def _block_size(per_round: int, budget: int, most: int | None = None) -> int:
    """Rounds per unit: as many as ``budget`` elements hold (``per_round`` each), at most
    ``most``, at least one."""
    size = max(1, budget // max(per_round, 1))
    return size if most is None else min(size, most)


def _cell(index: int, size: int, rounds: int) -> tuple[int, slice]:
    """Unit ``index`` of a sweep cut into blocks of ``size`` rounds: its column (the value it
    fits; 0 where one unit serves every value) and its block of rounds. Units run column by
    column, block by block, so their results in index order assemble into the rounds."""
    column, block = divmod(index, -(-rounds // size))
    start = block * size
    return column, slice(start, min(start + size, rounds))


def _units(columns: int, size: int, rounds: int) -> int:
    return columns * -(-rounds // size)


def _by_value(blocks: list[np.ndarray]) -> np.ndarray:
    """Units that return every value's predictions for a block: (values, rounds, n_test).

    Written into one C-ordered array (not ``np.concatenate``, which keeps the blocks' own
    axis order): the decomposition's sums run over it, so its layout fixes their last bits.
    """
    values, _, n_test = blocks[0].shape
    out = np.empty((values, sum(block.shape[1] for block in blocks), n_test))
    start = 0
    for block in blocks:
        out[:, start : start + block.shape[1]] = block
        start += block.shape[1]
    return out


def _by_cell(cells: list[np.ndarray], values: int) -> np.ndarray:
    """Units that return one value's predictions for a block (block, n_test), value by value
    and block by block: (values, rounds, n_test), C-ordered."""
    return _by_value([cell[None] for cell in cells]).reshape(values, -1, cells[0].shape[-1])


def _sweep(unit, data, count: int, backend: Backend, progress, cancelled, model: str) -> list:
    return run_units(
        unit,
        data,
        count,
        backend,
        progress=progress,
        cancelled=cancelled,
        what=f"fitting {model}: blocks of rounds",
        span=(0.0, 0.95),
    )


# --- predictions: (values, rounds, n_test) ----------------------------------------------


def _scaled(F: np.ndarray, F_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """StandardScaler fitted on each round's rows (axis 1), as sklearn computes it."""
    n = F.shape[1]
    mean = F.mean(axis=1, keepdims=True)
    var = F.var(axis=1, keepdims=True)
    eps = np.finfo(np.float64).eps
    constant = var <= n * eps * var + (n * mean * eps) ** 2
    scale = np.where(constant, 1.0, np.sqrt(var))
    return (F - mean) / scale, (F_test[None] - mean) / scale


def ridge_predictions(
    F: np.ndarray, y: np.ndarray, F_test: np.ndarray, alphas: np.ndarray
) -> np.ndarray:
    """``StandardScaler -> Ridge(alpha)`` fitted to every round at every alpha at once.

    ``F`` (rounds, n, p) are the polynomial features of each round's training set. One SVD
    per round gives the closed form for all alphas; Ridge's intercept is handled by
    centring, exactly as Ridge(fit_intercept=True) does. Returns (alphas, rounds, n_test).
    """
    S, S_test = _scaled(F, F_test)
    offset = S.mean(axis=1, keepdims=True)
    y_offset = y.mean(axis=1, keepdims=True)
    U, s, Vt = np.linalg.svd(S - offset, full_matrices=False)
    Uty = np.einsum("rnk,rn->rk", U, y - y_offset)
    A = (S_test - offset) @ np.swapaxes(Vt, 1, 2)  # (rounds, n_test, k)
    shrink = s[:, None, :] / (s[:, None, :] ** 2 + alphas[None, :, None])  # (rounds, a, k)
    return np.einsum("rtk,rak->art", A, shrink * Uty[:, None, :]) + y_offset[None]


def _poly(X: np.ndarray, degree: int) -> np.ndarray:
    """PolynomialFeatures(degree) without the bias column (it is all zeros once scaled)."""
    if X.shape[-1] == 1:
        return X ** np.arange(1, degree + 1)
    from sklearn.preprocessing import PolynomialFeatures

    return PolynomialFeatures(degree, include_bias=False).fit_transform(X)


def _ridge_all(
    problem: Problem, values: list, degree: int, backend: Backend, progress, cancelled
) -> np.ndarray:
    bootstrap = problem.indices is not None
    n_poly = _polynomial_features(problem.X_test.shape[1], degree)
    F_test = _poly(problem.X_test, degree)
    data: tuple[np.ndarray, np.ndarray, np.ndarray | BootstrapDraws | None, np.ndarray]
    if bootstrap:
        # Polynomial features are computed row by row, so resampled rows of the transformed
        # base are the transform of the resampled rows: the base is transformed once.
        X_base, y_base, indices = problem.resampled()
        data = (_poly(X_base, degree), y_base, indices, F_test)
    else:
        X_train, y_train = problem.simulated()
        data = (X_train, y_train, None, F_test)  # each unit transforms its own rounds
    size = _block_size(problem.n_train * n_poly, RIDGE_ELEMENTS)
    unit = partial(_ridge_block, np.asarray(values, dtype=float), degree, size)
    count = _units(1, size, problem.rounds)
    return _by_value(_sweep(unit, data, count, backend, progress, cancelled, "ridge"))


def _polynomial_features(n_features: int, degree: int) -> int:
    """How many features ``PolynomialFeatures(degree)`` makes (bias left out); too many is
    a ParamError."""
    n_poly = math.comb(n_features + degree, degree) - 1
    if n_poly > MAX_POLY_FEATURES:
        raise ParamError(
            "degree",
            f"degree {degree} on {n_features} features makes {n_poly} "
            f"polynomial features; at most {MAX_POLY_FEATURES}: lower the degree",
        )
    return n_poly


def _ridge_block(alphas: np.ndarray, degree: int, size: int, data, index: int) -> np.ndarray:
    """One unit: a block of rounds fitted at every alpha, (alphas, block, n_test). ``data``
    is (simulate) the rounds' inputs and targets, or (bootstrap) the base rows' polynomial
    features, targets and the rounds' row indices; and the test points' features."""
    X, y, indices, F_test = data
    _, block = _cell(index, size, len(y) if indices is None else len(indices))
    if indices is None:
        F, y = _poly(X[block], degree), y[block]
    else:
        F, y = X[indices[block]], y[indices[block]]
    return ridge_predictions(F, y, F_test, alphas)


def _tree_all(
    problem: Problem, values: list, seed: int, backend: Backend, progress, cancelled
) -> np.ndarray:
    # Inputs converted once, as fit(check_input=True) converts them: float32 X, float64 y.
    X, y64 = problem.simulated() if problem.indices is None else problem.resampled()[:2]
    data = (X.astype(np.float32), y64, problem.indices, problem.X_test.astype(np.float32))
    n_features = problem.X_test.shape[1]
    # One feature: one tree per round serves every depth; otherwise up to a fit per depth.
    fits = 1 if n_features == 1 else len(values)
    size = _block_size(problem.n_train * n_features * fits, FIT_ELEMENTS, FIT_ROUNDS)
    weighted = problem.indices is not None and tree_cut.exact_sums(y64, problem.n_train)
    unit = partial(_tree_depths_block, tuple(values), seed, size, weighted)
    count = _units(1, size, problem.rounds)
    return _by_value(_sweep(unit, data, count, backend, progress, cancelled, "tree"))


def _tree_depths_block(
    depths: tuple, seed: int, size: int, weighted: bool, data, index: int
) -> np.ndarray:
    """One unit: a block of rounds at every depth, (depths, block, n_test). ``data`` is
    (float32 inputs, float64 targets, the rounds' row indices or None when the inputs are
    the rounds' own, float32 test rows). Each round grows the unlimited tree and reads off it
    the depths where that is exactly the depth-limited tree (``tree_cut.readable``); the
    other depths are fitted. ``weighted``: a bootstrap sample is fitted as its distinct rows
    weighted by their counts, the same trees for fewer rows (``tree_cut.exact_sums``)."""
    X32, y64, indices, X_test32 = data
    _, block = _cell(index, size, _rounds(data))
    one_feature = X_test32.shape[1] == 1
    out = np.empty((len(depths), block.stop - block.start, len(X_test32)))
    # random_state=seed builds a RandomState(seed) per fit (~70 us, a quarter of a depth-1
    # fit); reseeding one (~1 us) puts it in the same state, so it draws the same numbers.
    random_state = np.random.RandomState(seed)
    for row, r in enumerate(range(block.start, block.stop)):
        rows = _round_rows(X32, y64, indices, r, weighted)
        full = _fit_tree(rows, None, random_state, seed)
        read = tree_cut.readable(full, list(depths), one_feature)
        cut = [d for d, ok in zip(depths, read, strict=True) if ok]
        out[np.flatnonzero(read), row] = tree_cut.depth_predictions(full, X_test32, cut)
        for position in np.flatnonzero(np.logical_not(read)):
            tree = _fit_tree(rows, depths[position], random_state, seed)
            # What predict(check_input=False) returns for one output, without its checks.
            out[position, row] = tree.predict(X_test32)[:, 0]
    return out


def _fit_tree(rows: tuple, depth, random_state: np.random.RandomState, seed: int):
    """The ``tree_`` of ``DecisionTreeRegressor(max_depth=depth, random_state=seed)`` fitted
    to ``rows`` (inputs, targets, weights), ``random_state`` first reseeded with ``seed``."""
    check_cancelled(unit_cancelled)
    X, y, weight = rows
    random_state.seed(seed)
    return tree_grow.grow(X, y, weight, depth, random_state)


def _round_rows(X32, y64, indices, r: int, weighted: bool):
    """Round ``r``'s training rows, targets and sample weights (None: every row once)."""
    if indices is None:
        return X32[r], y64[r], None
    if weighted:
        rows, counts = tree_cut.distinct_rows(indices[r])
        return X32[rows], y64[rows], counts
    return X32[indices[r]], y64[indices[r]], None


def _rounds(data) -> int:
    """Rounds of a unit's ``(inputs, targets, indices or None, test)`` data."""
    _, y, indices, _ = data
    return len(y) if indices is None else len(indices)


def _knn_sorted_1d(problem: Problem, ks: list, backend: Backend, progress, cancelled) -> np.ndarray:
    """k-NN on one feature for fresh training sets: sort once, every k reads a prefix."""
    X_train, y_train = problem.simulated()
    data = (X_train, y_train, problem.X_test[:, 0])
    size = _block_size(problem.n_train * len(problem.X_test), KNN_ELEMENTS)
    unit = partial(_knn_sorted_block, tuple(ks), size)
    count = _units(1, size, problem.rounds)
    return _by_value(_sweep(unit, data, count, backend, progress, cancelled, "knn"))


def _knn_sorted_block(ks: tuple, size: int, data, index: int) -> np.ndarray:
    """One unit: a block of fresh training sets at every k, (ks, block, n_test)."""
    X_train, y_train, grid = data
    _, block = _cell(index, size, len(y_train))
    x, y = X_train[block, :, 0], y_train[block]
    distance = np.abs(grid[None, :, None] - x[:, None, :])  # (rounds, grid, n)
    order = np.argsort(distance, axis=2, kind="stable")
    ranked = np.take_along_axis(np.broadcast_to(y[:, None, :], order.shape), order, axis=2)
    sums = np.cumsum(ranked, axis=2)[..., np.asarray(ks) - 1]  # (rounds, grid, ks)
    return np.moveaxis(sums / np.asarray(ks), 2, 0)


def _has_distance_ties(distance: np.ndarray, y: np.ndarray) -> bool:
    """Whether two distinct rows with different targets are (nearly) equally far from a
    test row — then which one is a neighbour depends on scikit-learn's tie-breaking."""
    order = np.argsort(distance, axis=1)
    ranked = np.take_along_axis(distance, order, axis=1)
    targets = y[order]
    close = np.diff(ranked, axis=1) <= 1e-9 * np.maximum(ranked[:, 1:], 1e-300)
    return bool(np.any(close & (np.diff(targets, axis=1) != 0)))


def _knn_bootstrap(
    problem: Problem, ks: list, backend: Backend, progress, cancelled
) -> np.ndarray | None:
    """k-NN on bootstrap samples from counts: a row drawn c times is c neighbours at the same
    distance. None when distance ties make scikit-learn's tie-breaking matter."""
    X, y, indices = problem.resampled()
    distance = np.sqrt(((problem.X_test[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    if _has_distance_ties(distance, y):
        return None
    order = np.argsort(distance, axis=1)  # (n_test, n): base rows by distance
    data = (order, y[order], indices)
    size = _block_size(len(y) * len(problem.X_test), KNN_ELEMENTS)
    unit = partial(_knn_counts_block, tuple(ks), size)
    count = _units(1, size, problem.rounds)
    return _by_value(_sweep(unit, data, count, backend, progress, cancelled, "knn"))


def _knn_counts_block(ks: tuple, size: int, data, index: int) -> np.ndarray:
    """One unit: a block of bootstrap rounds at every k, (ks, block, n_test). ``data`` is the
    base rows in order of distance from each test row, their targets, the rounds' indices."""
    order, ranked_y, indices = data
    n_test, n = order.shape
    _, block = _cell(index, size, len(indices))
    index_rows = indices[block]
    rows = len(index_rows)
    offsets = np.arange(rows)[:, None] * n
    counts = np.bincount((index_rows + offsets).ravel(), minlength=rows * n).reshape(rows, n)
    counts = np.take(counts.astype(np.int32), order, axis=1)  # (rounds, n_test, n)
    taken = np.cumsum(counts, axis=2, dtype=np.int32)  # neighbours up to each row
    # Sum of the targets of all nearer rows (an exclusive cumulative sum, no subtraction).
    nearer_sum = np.zeros(counts.shape)
    np.cumsum((counts * ranked_y)[..., :-1], axis=2, out=nearer_sum[..., 1:])
    # Each (round, test row) line of `taken` rises from 0 to n; lifting line i by
    # i * (n + 1) makes the whole array sorted, so one searchsorted finds, for every
    # line at once, the row that supplies the k-th neighbour.
    lines = rows * n_test
    line = np.arange(lines)
    test_row = line % n_test
    taken, counts = taken.reshape(lines, n), counts.reshape(lines, n)
    nearer_sum = nearer_sum.reshape(lines, n)
    lifted = (taken + (line * (n + 1))[:, None]).ravel()
    out = np.empty((len(ks), rows, n_test))
    for position, k in enumerate(ks):
        edge = np.searchsorted(lifted, line * (n + 1) + k) - line * n
        nearer = taken[line, edge] - counts[line, edge]  # neighbours from nearer rows
        edge_y = ranked_y[test_row, edge]
        prediction = (nearer_sum[line, edge] + (k - nearer) * edge_y) / k
        out[position] = prediction.reshape(rows, n_test)
    return out


def _knn_sklearn(problem: Problem, ks: list, backend: Backend, progress, cancelled) -> np.ndarray:
    X_base, y_base, indices = problem.resampled()
    data = (X_base, y_base, indices, problem.X_test)
    size = _block_size(problem.n_train * problem.X_test.shape[1], FIT_ELEMENTS, FIT_ROUNDS)
    unit = partial(_knn_cell, tuple(ks), size)
    count = _units(len(ks), size, problem.rounds)
    return _by_cell(_sweep(unit, data, count, backend, progress, cancelled, "knn"), len(ks))


def _knn_cell(ks: tuple, size: int, data, index: int) -> np.ndarray:
    """One unit: scikit-learn's k-NN at one k for a block of bootstrap rounds, (block,
    n_test). ``data`` is the base rows, their targets, the rounds' indices, the test rows."""
    from sklearn.neighbors import KNeighborsRegressor

    X_base, y_base, indices, X_test = data
    column, block = _cell(index, size, len(indices))
    out = np.empty((block.stop - block.start, len(X_test)))
    for row, r in enumerate(range(block.start, block.stop)):
        check_cancelled(unit_cancelled)
        model = KNeighborsRegressor(n_neighbors=ks[column])
        out[row] = model.fit(X_base[indices[r]], y_base[indices[r]]).predict(X_test)
    return out


def predictions(
    problem: Problem,
    params: BiasVarianceParams,
    values: list,
    cancelled: CancelledCallback | None = None,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """Every round's test predictions at every complexity value: (values, rounds, n_test),
    swept on the backend ``params`` name (progress within 0-95% of the job)."""
    backend = Backend.of(params)
    if params.model == "ridge":
        return _ridge_all(problem, values, params.degree, backend, progress, cancelled)
    if params.model == "tree":
        return _tree_all(problem, values, params.seed, backend, progress, cancelled)
    if max(values) > problem.n_train:
        raise ParamError("values", f"k must be <= the training rows per round ({problem.n_train})")
    if problem.indices is None:
        return _knn_sorted_1d(problem, values, backend, progress, cancelled)
    fast = _knn_bootstrap(problem, values, backend, progress, cancelled)
    return fast if fast is not None else _knn_sklearn(problem, values, backend, progress, cancelled)


# --- the decomposition -------------------------------------------------------------------


@dataclass(frozen=True)
class Decomposition:
    bias2: np.ndarray  # per value
    variance: np.ndarray
    noise: float
    expected_mse: np.ndarray
    expected_mse_se: np.ndarray


def decompose(P: np.ndarray, problem: Problem, noise: float) -> Decomposition:
    """Vectorised over values; P is (values, rounds, n_test)."""
    rounds = P.shape[1]
    main = P.mean(axis=1)  # (values, n_test)
    if problem.f_test is None:
        # mlxtend's formulas, term for term (its "bias" is measured against y_test).
        y = problem.y_test
        per_round = np.mean((P - y) ** 2, axis=2)  # (values, rounds)
        bias2 = np.sum((main - y) ** 2, axis=1) / y.size
        variance = np.sum((main[:, None, :] - P) ** 2, axis=(1, 2)) / (rounds * y.size)
        noise_term = 0.0
    else:
        per_round = np.mean((P - problem.y_test[None]) ** 2, axis=2)
        bias2 = np.mean((main - problem.f_test) ** 2, axis=1)
        variance = np.mean(P.var(axis=1), axis=1)
        noise_term = noise**2
    expected = per_round.mean(axis=1)
    se = per_round.std(axis=1, ddof=1) / math.sqrt(rounds)
    return Decomposition(bias2, variance, noise_term, expected, se)


def problem_size(problem: Problem, values: list) -> tuple[int, int, int]:
    """values, rounds, test rows: the shape of the whole prediction array."""
    return len(values), problem.rounds, len(problem.X_test)


def _plain(value):
    return None if value is None else (float(value) if isinstance(value, float) else int(value))


def run(
    params: BiasVarianceParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> BiasVarianceResult:
    params = params.effective()
    bootstrap = params.mode == "bootstrap"
    report(progress, 0.0, "drawing training sets")
    problem = bootstrap_problem(params) if bootstrap else simulate_problem(params)
    values = sweep_values(params, problem.n_train)
    check_cancelled(cancelled)

    P = None
    if (
        bootstrap
        and params.model == "ridge"
        and ridge_stream.streams(*problem_size(problem, values))
    ):
        _polynomial_features(problem.X_test.shape[1], params.degree)
        backend = Backend.of(params)
        streamed = ridge_stream.decomposition(
            problem, values, params.degree, backend, progress, cancelled
        )
        parts = Decomposition(streamed[0], streamed[1], 0.0, *streamed[2:])
    else:
        P = predictions(problem, params, values, cancelled, progress)
        check_cancelled(cancelled)
        parts = decompose(P, problem, params.noise)
    points = [
        {
            "value": _plain(value),
            "bias2": float(parts.bias2[i]),
            "variance": float(parts.variance[i]),
            "noise": float(parts.noise),
            "expected_mse": float(parts.expected_mse[i]),
        }
        for i, value in enumerate(values)
    ]
    best = int(np.argmin(parts.expected_mse))
    fit_at_best = None
    if P is not None and not bootstrap:
        mean, spread = P[best].mean(axis=0), P[best].std(axis=0)
        fit_at_best = {
            "x": problem.X_test[:, 0].tolist(),
            "truth": np.asarray(problem.f_test).tolist(),
            "mean": mean.tolist(),
            "low": (mean - spread).tolist(),
            "high": (mean + spread).tolist(),
        }
    report(progress, 1.0, "done")
    return BiasVarianceResult(
        params=params,
        complexity_name=COMPLEXITY_NAMES[params.model],
        points=points,
        best=dict(points[best]),
        expected_mse_se=parts.expected_mse_se.tolist(),
        log_scale=params.model == "ridge",
        n_test=len(problem.X_test),
        fit_at_best=fit_at_best,
    )
