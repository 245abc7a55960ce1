"""The production lab: its lessons hold on the bundled series, and every number equals the
direct scipy / scikit-learn call on the same rows."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp
from sklearn.linear_model import ElasticNet, Lasso, LassoCV, LinearRegression, RidgeCV
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold, TimeSeriesSplit, cross_val_score
from sklearn.preprocessing import StandardScaler

from reglab.cli import main
from reglab.core.production import drift
from reglab.core.production.compute import ProductionResult, run
from reglab.core.production.data import LAGS, bundled_target, load_series
from reglab.core.production.params import ProductionParams

DEFAULTS = ProductionParams()


@cache
def result(**settings) -> ProductionResult:
    return run(dataclasses.replace(DEFAULTS, **settings))


def split(params: ProductionParams, leak: bool = False):
    data = load_series(params)
    X = np.column_stack([data.X, data.lookahead]) if leak else data.X
    n_train = int(round(len(data.y) * (1 - params.holdout)))
    return data, X, n_train


def by_splitter(res: ProductionResult) -> dict[str, dict]:
    return {entry["splitter"]: entry for entry in res.cv_by_splitter}


def cv_at_min(entry: dict) -> float:
    return entry["cv_mean"][entry["alphas"].index(entry["alpha_min"])]


# --- the lessons, on the bundled data --------------------------------------------------


def test_shuffled_kfold_looks_better_than_time_series_split_and_the_holdout():
    cv = by_splitter(result())
    shuffled = cv["shuffled"]
    assert cv_at_min(shuffled) < cv_at_min(cv["timeseries"])
    assert cv_at_min(shuffled) < shuffled["holdout_mse"]


def test_lasso_keeps_a_less_stable_set_than_the_elastic_net():
    mean = result().stability["mean_jaccard"]
    assert mean["lasso"] < mean["elasticnet"]


def test_the_leak_flag_is_raised_with_a_look_ahead_feature_and_not_without():
    clean, leaky = result().leakage, result(leak=True).leakage
    assert not clean["flagged"]
    assert leaky["flagged"] and leaky["ratio"] >= leaky["threshold"]
    assert leaky["top_feature"] == "leak_lookahead" and leaky["top_share"] > 0.5


@pytest.mark.parametrize(
    ("change", "diagnosis"),
    [
        ("both", "the world moved"),
        ("noise", "the world moved"),
        ("lag", "the relationships moved"),
        ("none", "look at the serving pipeline"),
    ],
)
def test_drift_flags_the_moved_features_and_names_the_change(change, diagnosis):
    res = result(change=change)
    data = load_series(res.params)
    shifted = {row["name"] for row in res.drift["features"] if row["psi"] >= drift.PSI_MAJOR}
    assert diagnosis in res.drift["diagnosis"]
    if change == "none":
        assert len(shifted) < drift.DRIFT_SHARE * len(res.feature_names)
    else:
        moved = set(data.moved)
        assert shifted <= moved, f"flagged features the change did not move: {shifted - moved}"
        assert len(shifted) >= 0.5 * len(moved)


# --- every number against the direct call ----------------------------------------------


def test_cv_curves_equal_lasso_cv_with_the_same_splitters():
    res = result()
    data, X, n_train = split(res.params)
    scaler = StandardScaler().fit(X[:n_train])
    train, hold = scaler.transform(X[:n_train]), scaler.transform(X[n_train:])
    y_train, y_hold = data.y[:n_train], data.y[n_train:]
    splitters = {
        "shuffled": KFold(5, shuffle=True, random_state=42),
        "kfold": KFold(5),
        "timeseries": TimeSeriesSplit(5),
    }
    for name, entry in by_splitter(res).items():
        direct = LassoCV(alphas=entry["alphas"], cv=splitters[name], max_iter=10_000)
        direct.fit(train, y_train)
        np.testing.assert_allclose(entry["cv_mean"], direct.mse_path_.mean(axis=1), rtol=1e-12)
        assert entry["alpha_min"] == direct.alpha_
        holdout = np.mean((direct.predict(hold) - y_hold) ** 2)
        assert entry["holdout_mse"] == pytest.approx(holdout, rel=1e-12)
    # The hold-out curve along the path, at alpha_min, is the refit's hold-out error.
    honest = by_splitter(res)["timeseries"]
    at_min = res.holdout_path["mse"][res.holdout_path["alphas"].index(honest["alpha_min"])]
    assert at_min == pytest.approx(honest["holdout_mse"], rel=1e-4)


def test_time_series_folds_only_ever_predict_forward():
    folds = list(TimeSeriesSplit(5).split(np.zeros((1144, 1))))
    assert all(train.max() < test.min() for train, test in folds)


def test_each_window_selection_equals_direct_fits():
    res = result()
    data = load_series(res.params)
    stability = res.stability
    for index in (0, len(stability["windows"]) - 1):
        start, end = stability["windows"][index]
        rows = StandardScaler().fit_transform(data.X[start:end])
        lasso = Lasso(alpha=stability["alpha"], max_iter=10_000).fit(rows, data.y[start:end])
        enet = ElasticNet(alpha=stability["alpha"], l1_ratio=0.3, max_iter=10_000)
        enet.fit(rows, data.y[start:end])
        names = np.array(res.feature_names)
        assert stability["selected"]["lasso"][index] == names[lasso.coef_ != 0].tolist()
        assert stability["selected"]["elasticnet"][index] == names[enet.coef_ != 0].tolist()
        assert len(stability["selected"]["ridge"][index]) == max(np.count_nonzero(lasso.coef_), 1)
    sets = [set(s) for s in stability["selected"]["lasso"]]
    first = len(sets[0] & sets[1]) / len(sets[0] | sets[1])
    assert stability["jaccard"]["lasso"][0] == pytest.approx(first)


def test_two_stage_refit_equals_ridge_cv_on_the_kept_columns():
    res = result()
    data, X, n_train = split(res.params)
    scaler = StandardScaler().fit(X[:n_train])
    train, hold = scaler.transform(X[:n_train]), scaler.transform(X[n_train:])
    stage = res.two_stage
    assert 0 < stage["n_kept"] <= res.params.keep
    kept = stage["kept"]
    direct = RidgeCV(
        alphas=[stage["ridge_alpha"]], cv=TimeSeriesSplit(5), scoring="neg_mean_squared_error"
    ).fit(train[:, kept], data.y[:n_train])
    holdout = np.mean((direct.predict(hold[:, kept]) - data.y[n_train:]) ** 2)
    assert stage["holdout_mse"] == pytest.approx(holdout, rel=1e-10)


def test_leakage_numbers_equal_ols_and_lasso_cv_on_the_last_window():
    res = result(leak=True)
    data, X, n_train = split(res.params, leak=True)
    start, stop = res.leakage["train_rows"]
    assert (start, stop) == (n_train - res.params.window, n_train)
    scaler = StandardScaler().fit(X[start:stop])
    train, hold = scaler.transform(X[start:stop]), scaler.transform(X[stop:])
    y_train, y_hold = data.y[start:stop], data.y[stop:]
    pair = res.leakage["with_leak"]
    ols = LinearRegression().fit(train, y_train)
    assert pair["unregularized_r2"] == pytest.approx(r2_score(y_hold, ols.predict(hold)))
    lasso = LassoCV(cv=TimeSeriesSplit(5), alphas=[pair["alpha_min"]], max_iter=10_000)
    lasso.fit(train, y_train)
    assert pair["regularized_r2"] == pytest.approx(r2_score(y_hold, lasso.predict(hold)))
    assert res.leakage["ratio"] == pytest.approx(pair["unregularized_r2"] / pair["regularized_r2"])


def test_drift_numbers_equal_ks_2samp_and_ridge_cv_on_the_same_windows():
    res = result()
    data = load_series(res.params)
    block = res.drift
    old = data.X[slice(*block["old_rows"])]
    new = data.X[slice(*block["new_rows"])]
    for row in block["features"][:5]:
        column = res.feature_names.index(row["name"])
        test = ks_2samp(old[:, column], new[:, column], method="asymp")
        assert (row["ks"], row["ks_p"]) == (test.statistic, test.pvalue)
    psis = [row["psi"] for row in block["features"]]
    assert psis == sorted(psis, reverse=True)
    y_new = data.y[slice(*block["new_rows"])]
    new_s = StandardScaler().fit_transform(new)
    ridge = RidgeCV(
        alphas=[block["alpha_new"]], cv=TimeSeriesSplit(5), scoring="neg_mean_squared_error"
    ).fit(new_s, y_new)
    assert block["cv_new_alpha_on_new"] == pytest.approx(-ridge.best_score_)
    from sklearn.linear_model import Ridge

    scores = cross_val_score(
        Ridge(alpha=block["alpha_old"]),
        new_s,
        y_new,
        cv=TimeSeriesSplit(5),
        scoring="neg_mean_squared_error",
    )
    assert block["cv_old_alpha_on_new"] == pytest.approx(-scores.mean())


def test_psi_on_a_worked_example():
    old = np.arange(100.0)  # ten quantile bins of ten values each: shares 0.1
    new = np.r_[np.zeros(50), np.full(50, 99.0)]  # half in the first bin, half in the last
    floor = drift.PSI_FLOOR
    expected = 2 * (0.5 - 0.1) * np.log(0.5 / 0.1) + 8 * (floor - 0.1) * np.log(floor / 0.1)
    assert drift.psi(old, new) == pytest.approx(expected)
    assert drift.psi(old, old) == 0.0
    assert drift.psi_level(0.05) == "" and drift.psi_level(0.1) == "moderate"
    assert drift.psi_level(0.3) == "major"


def test_the_same_seed_gives_the_same_numbers():
    first = result().to_json()
    again = run(DEFAULTS).to_json()
    assert first == again
    assert run(dataclasses.replace(DEFAULTS, seed=7)).to_json() != first


# --- a CSV with a time column ----------------------------------------------------------


@pytest.fixture
def shuffled_csv(tmp_path):
    """The bundled series as a CSV of (date, sales), rows shuffled."""
    target, _ = bundled_target(DEFAULTS.n_steps, "both", 0.75, 42)
    frame = pd.DataFrame({"date": target.index.strftime("%Y-%m-%d"), "sales": target.to_numpy()})
    path = tmp_path / "sales.csv"
    frame.sample(frac=1.0, random_state=0).to_csv(path, index=False)
    return path


def test_a_csv_is_sorted_by_its_time_column_and_engineered_like_the_bundled_series(
    shuffled_csv,
):
    csv = run(
        dataclasses.replace(
            DEFAULTS, dataset="csv", data=str(shuffled_csv), target="sales", time="date"
        )
    )
    engineered = 30 + 6 + 6 + 11  # lags, rolling means and stds, weekday and month dummies
    bundled = result(n_features=engineered)
    assert csv.feature_names == bundled.feature_names
    assert csv.n_rows == bundled.n_rows == DEFAULTS.n_steps - max(LAGS)
    assert csv.cv_by_splitter == bundled.cv_by_splitter


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (["time="], "time: dataset=csv needs time=COLUMN"),
        (["time=when"], "time: no column 'when'"),
        (["time=sales"], "time: 'sales' is the target"),
        (["window=100", "step=120"], "step: step 120 is longer than window 100"),
    ],
)
def test_bad_settings_give_one_line(shuffled_csv, capsys, settings, message):
    base = ["dataset=csv", f"data={shuffled_csv}", "target=sales", "time=date"]
    args = ["run", "production"]
    for setting in base + settings:
        args += ["--set", setting]
    assert main(args) in (1, 2)
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and message in err, err


@pytest.mark.parametrize("window", ["old_rows", "new_rows"])
def test_ridge_cv_by_svd_equals_ridge_cv(window):
    res = result()
    data = load_series(res.params)
    rows = slice(*res.drift[window])
    X, y = StandardScaler().fit_transform(data.X[rows]), data.y[rows]
    alphas = np.logspace(4, -3, 25)
    alpha, mse, refit = drift.ridge_cv(X, y, alphas, TimeSeriesSplit(5))
    direct = RidgeCV(alphas=alphas, cv=TimeSeriesSplit(5), scoring="neg_mean_squared_error")
    direct.fit(X, y)
    assert alpha == direct.alpha_
    assert mse == pytest.approx(-direct.best_score_, rel=1e-9)
    np.testing.assert_allclose(refit.coef_, direct.coef_, rtol=1e-9, atol=1e-12)
