"""The production lab: four checks a regularized model needs once it meets time.

Rows are in time order. The last ``holdout`` share is the truly later hold-out; everything
before it is training data. Features are standardized on the rows each model is fitted to.
Every alpha grid comes from the data it is used on (``core/strength``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from reglab.core.blas import single_blas_thread
from reglab.core.errors import DataError
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.notes import warnings_as_notes
from reglab.core.production import drift, honesty, leakage, stability
from reglab.core.production.data import SeriesData, load_series
from reglab.core.production.params import ProductionParams
from reglab.core.results import LabResult
from reglab.core.strength import alpha_grid, alpha_range
from reglab.core.sweep import Backend, run_units

RIDGE_POINTS = 25  # ridge's span is 6-11 decades: 25 points, not the lasso's 10 a decade
DRIFT_ROWS = 365  # at most a year each side: both windows see every season
MIN_DRIFT_ROWS = 50


@dataclass(frozen=True)
class ProductionResult(LabResult):
    n_rows: int
    n_train: int
    n_holdout: int
    feature_names: list[str]
    cv_by_splitter: list[dict]
    holdout_path: dict  # {alphas, mse}: the hold-out error along the lasso path
    stability: dict
    two_stage: dict
    leakage: dict
    drift: dict


def standardize(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(train)
    return [scaler.transform(rows) for rows in (train, *others)]


def lasso_alphas(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return alpha_grid(alpha_range(X, y, "lasso"))


def ridge_alphas(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return alpha_grid(alpha_range(X, y, "ridge"), RIDGE_POINTS)


def features(data: SeriesData, leak: bool) -> tuple[np.ndarray, tuple[str, ...]]:
    if not leak:
        return data.X, data.names
    return np.column_stack([data.X, data.lookahead]), (*data.names, "leak_lookahead")


def cv_honesty(params, X_train, y_train, X_hold, y_hold) -> tuple[list[dict], dict]:
    alphas = lasso_alphas(X_train, y_train)
    entries = []
    for name in honesty.SPLITTERS:
        splitter = honesty.make_splitter(name, params.folds, params.seed)
        model = honesty.lasso_cv(X_train, y_train, alphas, splitter)
        entries.append(honesty.cv_entry(name, model, X_hold, y_hold))
    path = honesty.holdout_curve(X_train, y_train, X_hold, y_hold, alphas)
    return entries, {"alphas": alphas.tolist(), "mse": path}


def selection_stability(params, X, y, names, alpha, ridge_alpha, progress, cancelled) -> dict:
    spans = stability.windows(len(y), params.window, params.step)
    if len(spans) < 2:
        raise DataError(
            f"window: {len(y)} rows hold fewer than two windows of {params.window}; "
            "lower window or step"
        )
    unit = partial(_window_selection, spans, alpha, params.l1_ratio, ridge_alpha)
    chosen = run_units(
        unit,
        (X, y),
        len(spans),
        Backend.of(params),
        progress=progress,
        cancelled=cancelled,
        what="selection stability: windows",
        span=(0.35, 0.65),
    )
    picks = {model: [window[model] for window in chosen] for model in stability.MODELS}
    jaccard = {
        model: stability.consecutive_jaccard([set(p) for p in picks[model]]) for model in picks
    }
    return {
        "windows": [list(span) for span in spans],
        "alpha": alpha,
        "ridge_alpha": ridge_alpha,
        "selected": {m: [[names[c] for c in p] for p in picks[m]] for m in picks},
        "jaccard": jaccard,
        "mean_jaccard": {m: float(np.mean(v)) for m, v in jaccard.items()},
    }


def _window_selection(
    spans: list[tuple[int, int]],
    alpha: float,
    l1_ratio: float,
    ridge_alpha: float,
    data: tuple[np.ndarray, np.ndarray],
    index: int,
) -> dict[str, list[int]]:
    """One unit of the stability sweep: what each model keeps in window ``index``."""
    X, y = data
    start, end = spans[index]
    (rows,) = standardize(X[start:end])
    return stability.selected_in_window(rows, y[start:end], alpha, l1_ratio, ridge_alpha)


def two_stage(params, X_train, y_train, X_hold, y_hold, alpha, lasso_holdout) -> dict:
    """Lasso picks (its largest ``keep`` coefficients at alpha), ridge refits on them."""
    from sklearn.linear_model import Lasso
    from sklearn.model_selection import TimeSeriesSplit

    coef = Lasso(alpha=alpha, max_iter=honesty.MAX_ITER).fit(X_train, y_train).coef_
    nonzero = np.flatnonzero(coef)
    kept = nonzero[np.argsort(-np.abs(coef[nonzero]), kind="stable")][: params.keep]
    if len(kept) == 0:
        return {
            "n_kept": 0,
            "kept": [],
            "ridge_alpha": None,
            "holdout_mse": None,
            "lasso_holdout_mse": lasso_holdout,
        }
    kept = np.sort(kept)
    ridge_alpha, _, refit = drift.ridge_cv(
        X_train[:, kept],
        y_train,
        ridge_alphas(X_train[:, kept], y_train),
        TimeSeriesSplit(params.folds),
    )
    error = float(np.mean((refit.predict(X_hold[:, kept]) - y_hold) ** 2))
    return {
        "n_kept": int(len(kept)),
        "kept": kept.tolist(),
        "ridge_alpha": ridge_alpha,
        "holdout_mse": error,
        "lasso_holdout_mse": lasso_holdout,
    }


def leakage_check(params, data: SeriesData, n_train: int) -> dict:
    """OLS against the CV-tuned lasso on the last window before the hold-out, with and
    without the look-ahead feature; the flag reads the data as the lab has it."""
    from sklearn.model_selection import TimeSeriesSplit

    start = max(n_train - params.window, 0)
    pairs, coefs, columns = {}, {}, {}
    for with_leak in (False, True):
        X, columns[with_leak] = features(data, with_leak)
        train, hold = standardize(X[start:n_train], X[n_train:])
        y_train, y_hold = data.y[start:n_train], data.y[n_train:]
        splitter = TimeSeriesSplit(params.folds)
        pair = leakage.fit_pair(
            train, y_train, hold, y_hold, lasso_alphas(train, y_train), splitter
        )
        coefs[with_leak] = pair.pop("coef")
        pair["ratio"] = leakage.skill_ratio(pair)
        pairs[with_leak] = pair
    current = pairs[params.leak]
    ratio = current["ratio"]
    top, share = leakage.top_weight(coefs[params.leak], columns[params.leak])
    return {
        "with_leak": pairs[True],
        "without_leak": pairs[False],
        "ratio": ratio,
        "threshold": leakage.LEAK_RATIO,
        "flagged": bool(np.isfinite(ratio) and ratio >= leakage.LEAK_RATIO),
        "top_feature": top,
        "top_share": share,
        "train_rows": [start, n_train],
    }


def drift_check(params, X, y, names, change_row: int) -> dict:
    from scipy.stats import spearmanr
    from sklearn.model_selection import TimeSeriesSplit

    rows = min(DRIFT_ROWS, change_row, len(y) - change_row)
    if rows < MIN_DRIFT_ROWS:
        raise DataError(
            f"change_at: the drift check needs {MIN_DRIFT_ROWS} rows on each side of it; "
            f"there are {change_row} before and {len(y) - change_row} after"
        )
    old_rows, new_rows = slice(change_row - rows, change_row), slice(len(y) - rows, len(y))
    table = drift.feature_drift(X[old_rows], X[new_rows], names)
    old, new_as_deployed = standardize(X[old_rows], X[new_rows])  # the old pipeline's scaling
    (new,) = standardize(X[new_rows])
    alphas = ridge_alphas(old, y[old_rows])
    splitter = TimeSeriesSplit(params.folds)
    alpha_old, _, old_fit = drift.ridge_cv(old, y[old_rows], alphas, splitter)
    alpha_new, cv_new, new_fit = drift.ridge_cv(new, y[new_rows], alphas, splitter)
    ranks = float(spearmanr(np.abs(old_fit.coef_), np.abs(new_fit.coef_)).statistic)
    old_model_on_new = float(np.mean((old_fit.predict(new_as_deployed) - y[new_rows]) ** 2))
    return {
        "old_rows": [old_rows.start, old_rows.stop],
        "new_rows": [new_rows.start, new_rows.stop],
        "features": table,
        "alpha_old": alpha_old,
        "alpha_new": alpha_new,
        "cv_old_alpha_on_new": drift.cv_mse(new, y[new_rows], alpha_old, splitter),
        "cv_new_alpha_on_new": cv_new,
        "old_model_on_new": old_model_on_new,
        "rank_spearman": ranks,
        "diagnosis": drift.diagnose(table, alpha_old, alpha_new, old_model_on_new / cv_new),
    }


def run(
    params: ProductionParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> ProductionResult:
    params = params.effective()
    params.check()
    notes: list[str] = []
    with warnings_as_notes(notes):
        data = load_series(params)
    notes.extend(data.notes)
    X, names = features(data, params.leak)
    y = data.y
    n_train = int(round(len(y) * (1 - params.holdout)))
    if n_train < 4 * params.folds or len(y) - n_train < params.folds:
        raise DataError(f"data: {len(y)} rows are too few for {params.folds} folds and a hold-out")
    X_train, X_hold = standardize(X[:n_train], X[n_train:])
    y_train, y_hold = y[:n_train], y[n_train:]
    steps: dict[str, Any] = {}
    # Many small fits: one BLAS thread each is faster, and leaves the other core alone.
    with warnings_as_notes(notes), single_blas_thread():
        report(progress, 0.0, "CV honesty: three splitters")
        steps["cv"], steps["path"] = cv_honesty(params, X_train, y_train, X_hold, y_hold)
        check_cancelled(cancelled)
        honest = steps["cv"][honesty.SPLITTERS.index("timeseries")]
        ridge_alpha, _, _ = drift.ridge_cv(
            X_train,
            y_train,
            ridge_alphas(X_train, y_train),
            honesty.make_splitter("timeseries", params.folds, params.seed),
        )
        steps["stability"] = selection_stability(
            params, X, y, names, honest["alpha_min"], ridge_alpha, progress, cancelled
        )
        steps["two_stage"] = two_stage(
            params, X_train, y_train, X_hold, y_hold, honest["alpha_min"], honest["holdout_mse"]
        )
        report(progress, 0.7, "leakage check")
        steps["leakage"] = leakage_check(params, data, n_train)
        check_cancelled(cancelled)
        report(progress, 0.85, "drift: old window against recent")
        steps["drift"] = drift_check(params, X, y, names, data.change_row)
    return ProductionResult(
        params=params,
        notes=tuple(notes),
        n_rows=len(y),
        n_train=n_train,
        n_holdout=len(y) - n_train,
        feature_names=list(names),
        cv_by_splitter=steps["cv"],
        holdout_path=steps["path"],
        stability=steps["stability"],
        two_stage=steps["two_stage"],
        leakage=steps["leakage"],
        drift=steps["drift"],
    )
