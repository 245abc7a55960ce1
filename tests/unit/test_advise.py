"""Which regularizer? The advice against direct numpy/scikit-learn measurements and the lambda
lab's own CV, its choices on the reference data, its rules on made-up candidates, the CLI."""

import json
import math
import re

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, make_regression
from sklearn.linear_model import Lasso, LinearRegression

from reglab.cli import main
from reglab.core.advise import (
    GROUP_R,
    L1_RATIOS,
    AdviseParams,
    Candidate,
    Group,
    Measurements,
    advise,
    correlated_groups,
    correlation_matrix,
    recommend,
    vifs,
)
from reglab.core.datasets import correlated, penalties_reference
from reglab.core.errors import Cancelled, ParamError
from reglab.core.lambda_finder.compute import run as lambda_run
from reglab.core.lambda_finder.params import LambdaParams

DATASETS = ("synthetic", "correlated", "diabetes")


@pytest.fixture(scope="module")
def advice():
    return {name: advise(AdviseParams(dataset=name)) for name in DATASETS}


def test_the_synthetic_reference_gets_lasso(advice):
    # make_regression(100, 20, n_informative=5): a sparse signal, nothing correlated.
    result = advice["synthetic"]
    assert result.recommendation == "lasso"
    assert result.rule.startswith("tie within 1 SE: the simpler model")
    m = result.measurements
    assert (m.n_rows, m.n_features, m.p_over_n) == (100, 20, 0.2)
    assert m.correlated_groups == [] and m.lasso_nonzero < 20 * 0.5
    assert any("the signal looks sparse" in reason for reason in result.reasons)
    assert any(f"{m.lasso_nonzero} of 20" in reason for reason in result.reasons)


def test_correlated_data_get_ridge_or_elastic_net_naming_the_pair(advice):
    result = advice["correlated"]
    assert result.recommendation in ("ridge", "elasticnet")
    assert result.measurements.strongest_pair == ["med_count", "polypharmacy"]
    named = [r for r in result.reasons if "med_count and polypharmacy" in r]
    assert named and any(re.search(r"r = 0\.\d\d", r) for r in named)
    # The reason for the choice itself names the pair, not just a side remark.
    assert "med_count and polypharmacy" in result.reasons[1]


def test_diabetes_gets_a_stated_choice_that_cites_numbers(advice):
    result = advice["diabetes"]
    assert result.recommendation in ("ridge", "lasso", "elasticnet")
    label = {"elasticnet": "elastic net"}.get(result.recommendation, result.recommendation)
    assert result.reasons[1].startswith(f"{label}: ")
    assert "rule:" in result.reasons[1] and result.rule in result.reasons[1]
    group = result.measurements.correlated_groups[0]
    assert group.pair == ["s1", "s2"] and f"r = {group.r:.2f}" in " ".join(result.reasons)


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_reason_cites_a_measured_number(advice, dataset):
    result = advice[dataset]
    assert len(result.reasons) >= 5
    for reason in result.reasons:
        assert re.search(r"\d", reason), reason


@pytest.mark.parametrize("dataset", DATASETS)
def test_candidates_sit_at_the_lambda_labs_alpha_1se(advice, dataset):
    result = advice[dataset]
    direct = {
        model: lambda_run(LambdaParams(model=model, dataset=dataset))
        for model in ("ridge", "lasso")
    }
    enets = {
        ratio: lambda_run(LambdaParams(model="elasticnet", l1_ratio=ratio, dataset=dataset))
        for ratio in L1_RATIOS
    }
    # cva.glmnet's choice: the l1_ratio whose curve reaches the lowest CV error.
    ratio = min(L1_RATIOS, key=lambda r: enets[r].score_min)
    direct["elasticnet"] = enets[ratio]
    assert [c.model for c in result.candidates] == ["ridge", "lasso", "elasticnet"]
    for candidate in result.candidates:
        lab = direct[candidate.model]
        assert candidate.alpha == lab.alpha_1se
        assert candidate.cv_mean == lab.score_1se
        assert candidate.cv_se == lab.cv_se[lab.index_1se]
        assert candidate.n_nonzero == lab.n_nonzero_1se
    assert result.candidates[2].l1_ratio == ratio
    search = {s["l1_ratio"]: s["cv_min"] for s in result.measurements.l1_ratio_search}
    assert search == {r: enets[r].score_min for r in L1_RATIOS}


def test_the_choice_follows_the_one_se_rule_on_the_candidates(advice):
    for result in advice.values():
        best = min(result.candidates, key=lambda c: c.cv_mean)
        chosen = result.chosen
        assert chosen.cv_mean <= best.cv_mean + best.cv_se


def test_correlations_and_groups_match_numpy():
    X = load_diabetes().data
    R, constant = correlation_matrix(X)
    assert not constant.any()
    np.testing.assert_allclose(R, np.corrcoef(X, rowvar=False), rtol=0, atol=1e-12)
    direct = np.corrcoef(X, rowvar=False)
    pairs = {(i, j) for i in range(10) for j in range(i + 1, 10) if abs(direct[i, j]) >= GROUP_R}
    assert pairs == {(4, 5)}  # s1 and s2, r = 0.90
    assert [g.tolist() for g in correlated_groups(R)] == [[4, 5]]


def test_groups_are_connected_components_not_just_pairs():
    # a ~ b and b ~ c above the threshold, a ~ c below it: one group of three; d apart.
    rng = np.random.RandomState(0)
    b = rng.normal(size=2000)
    a = b + 0.63 * rng.normal(size=2000)
    c = b + 0.63 * rng.normal(size=2000)
    d = rng.normal(size=2000)
    X = np.column_stack([d, a, b, c])
    direct = np.abs(np.corrcoef(X, rowvar=False))
    assert direct[1, 2] >= GROUP_R and direct[2, 3] >= GROUP_R and direct[1, 3] < GROUP_R
    R, _ = correlation_matrix(X)
    assert [g.tolist() for g in correlated_groups(R)] == [[1, 2, 3]]


def test_vif_from_the_inverse_correlation_matches_linear_regression():
    X = load_diabetes().data
    factors = vifs(correlation_matrix(X)[0])
    for j in range(X.shape[1]):
        others = np.delete(X, j, axis=1)
        r2 = LinearRegression().fit(others, X[:, j]).score(others, X[:, j])
        assert factors[j] == pytest.approx(1 / (1 - r2), rel=1e-8)
    assert factors.max() == pytest.approx(59.2, abs=0.05)


def test_measurements_match_direct_calls(advice):
    m = advice["diabetes"].measurements
    X, y = load_diabetes(return_X_y=True)
    r2 = [
        LinearRegression().fit(np.delete(X, j, 1), X[:, j]).score(np.delete(X, j, 1), X[:, j])
        for j in range(10)
    ]
    assert m.max_vif == pytest.approx(max(1 / (1 - v) for v in r2), rel=1e-8)
    assert m.max_vif_feature == "s1"
    assert m.strongest_r == pytest.approx(np.corrcoef(X[:, 4], X[:, 5])[0, 1], abs=1e-12)
    lasso = next(c for c in advice["diabetes"].candidates if c.model == "lasso")
    refit = Lasso(alpha=lasso.alpha).fit(X, y)
    assert m.lasso_nonzero == np.count_nonzero(refit.coef_) == lasso.n_nonzero
    group = m.correlated_groups[0]
    kept = [name for name, coef in zip(("s1", "s2"), refit.coef_[[4, 5]], strict=True) if coef != 0]
    assert group.kept["lasso"] == kept

    data = correlated(42)
    direct = np.corrcoef(data.X, rowvar=False)
    r = advice["correlated"].measurements.strongest_r
    assert r == pytest.approx(direct[0, 1], abs=1e-12) and abs(direct[0, 1]) < GROUP_R
    reference = penalties_reference(42)
    s = advice["synthetic"].measurements
    off = np.abs(np.corrcoef(reference.X, rowvar=False)) - np.eye(20)
    assert abs(s.strongest_r) == pytest.approx(off.max(), abs=1e-12)


def csv_file(tmp_path, X, y, names=None):
    names = names or [f"f{i}" for i in range(X.shape[1])]
    path = tmp_path / "data.csv"
    rows = [",".join([*names, "y"])]
    rows += [
        ",".join(f"{v:.12g}" for v in [*row, target]) for row, target in zip(X, y, strict=True)
    ]
    path.write_text("\n".join(rows) + "\n")
    return str(path)


def test_dependent_and_constant_columns(tmp_path):
    X, y = make_regression(n_samples=60, n_features=4, noise=5, random_state=1)
    X = np.column_stack([X, X[:, 0] + X[:, 1], np.full(60, 3.0)])  # a sum and a constant
    path = csv_file(tmp_path, X, y)
    result = advise(AdviseParams(dataset="csv", data=path, target="y"))
    m = result.measurements
    assert m.constant_features == ["f5"]
    assert math.isinf(m.max_vif) and m.max_vif_feature in ("f0", "f1", "f4")
    payload = result.to_json()
    json.dumps(payload, allow_nan=False)
    assert payload["measurements"]["max_vif"] is None
    assert "measurements.max_vif" in payload["notes"][-1]
    assert any("largest VIF unbounded" in reason for reason in result.reasons)


def candidate(model, cv_mean, cv_se, n_nonzero, l1_ratio=None):
    ratio = {"ridge": 0.0, "lasso": 1.0}.get(model, l1_ratio or 0.5)
    return Candidate(model, 1.0, ratio, cv_mean, cv_se, n_nonzero)


def measurements(p=20, n=100, groups=()):
    return Measurements(
        n_rows=n,
        n_features=p,
        p_over_n=p / n,
        strongest_pair=["a", "b"],
        strongest_r=0.95,
        correlation_threshold=GROUP_R,
        correlated_groups=list(groups),
        max_vif=12.0,
        max_vif_feature="a",
        lasso_nonzero=5,
        lasso_nonzero_share=5 / p,
        l1_ratio_search=[],
        constant_features=[],
    )


def test_rule_only_one_within_one_se():
    model, rule, reasons = recommend(
        [
            candidate("ridge", 10, 1, 20),
            candidate("lasso", 20, 1, 5),
            candidate("elasticnet", 15, 1, 8),
        ],
        measurements(),
    )
    assert model == "ridge" and rule.startswith("lowest CV error")
    assert "within 1 SE of it (≤ 11)" in reasons[0]


def test_rule_fewest_non_zero_within_one_se():
    model, rule, _ = recommend(
        [
            candidate("ridge", 10, 2, 20),
            candidate("lasso", 11, 1, 5),
            candidate("elasticnet", 10.5, 1, 8),
        ],
        measurements(),
    )
    assert model == "lasso" and "fewest non-zero" in rule


def test_rule_a_group_lasso_splits_goes_to_elastic_net():
    group = Group(
        ["a", "b"],
        ["a", "b"],
        0.95,
        {"ridge": ["a", "b"], "lasso": ["a"], "elasticnet": ["a", "b"]},
    )
    model, rule, reasons = recommend(
        [
            candidate("ridge", 10, 2, 20),
            candidate("lasso", 11, 1, 5),
            candidate("elasticnet", 10.5, 1, 8),
        ],
        measurements(groups=[group]),
    )
    assert model == "elasticnet" and "lasso splits" in rule
    assert "a and b correlate at r = 0.95 and lasso keeps only 1 of the 2" in reasons[-1]
    # Not when elastic net is more than 1 SE from the best.
    model, _, _ = recommend(
        [
            candidate("ridge", 10, 2, 20),
            candidate("lasso", 11, 1, 5),
            candidate("elasticnet", 13, 1, 8),
        ],
        measurements(groups=[group]),
    )
    assert model == "lasso"


def test_rule_many_features_per_row_moves_lasso_to_elastic_net_or_ridge():
    candidates = [
        candidate("ridge", 10, 2, 60),
        candidate("lasso", 11, 1, 5),
        candidate("elasticnet", 10.5, 1, 8),
    ]
    model, rule, reasons = recommend(candidates, measurements(p=60, n=100))
    assert model == "elasticnet" and rule.startswith("p/n > 0.5")
    assert "p/n = 0.6 > 0.5" in reasons[-1]
    assert recommend(candidates, measurements(p=40, n=100))[0] == "lasso"


def test_rule_equal_counts_prefer_fewer_tuning_parameters():
    model, rule, reasons = recommend(
        [
            candidate("ridge", 10, 1, 3),
            candidate("lasso", 10, 1, 3),
            candidate("elasticnet", 10, 1, 3),
        ],
        measurements(p=3),
    )
    assert model == "ridge" and "fewer tuning parameters" in rule
    assert "lasso keeps all 3" in reasons[1]
    model, _, _ = recommend(
        [
            candidate("ridge", 10, 1, 20),
            candidate("lasso", 10, 1, 4),
            candidate("elasticnet", 10, 1, 4),
        ],
        measurements(),
    )
    assert model == "lasso"


def test_from_lambda_takes_the_labs_data_settings_and_refuses_logistic():
    params = AdviseParams.from_lambda(
        LambdaParams(model="ridge", dataset="diabetes", folds=4, standardize=True, seed=3)
    )
    assert params == AdviseParams(dataset="diabetes", folds=4, standardize=True, seed=3)
    assert AdviseParams.from_lambda(LambdaParams()).dataset == "synthetic"
    with pytest.raises(ParamError, match="model: the advice compares"):
        AdviseParams.from_lambda(LambdaParams(model="logistic"))


def test_cancelled_advice_stops():
    with pytest.raises(Cancelled):
        advise(AdviseParams(), cancelled=lambda: True)


def test_progress_reaches_done():
    seen = []
    advise(AdviseParams(dataset="correlated"), progress=seen.append)
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_cli_json_carries_the_advice(capsys):
    assert main(["advise", "--set", "dataset=correlated", "--set", "folds=4", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["lab"] == "advise" and payload["params"]["folds"] == 4
    assert {"measurements", "candidates", "recommendation", "reasons", "params", "notes"} <= set(
        payload
    )
    assert payload["recommendation"] in ("ridge", "elasticnet")
    assert [c["model"] for c in payload["candidates"]] == ["ridge", "lasso", "elasticnet"]
    for row in payload["candidates"]:
        assert set(row) == {"model", "alpha", "l1_ratio", "cv_mean", "cv_se", "n_nonzero"}
    lab = lambda_run(LambdaParams(model="lasso", dataset="correlated", folds=4))
    assert payload["candidates"][1]["alpha"] == lab.alpha_1se


def test_cli_table_lists_the_choice_and_reasons(capsys):
    assert main(["advise", "--set", "dataset=diabetes"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"advice: (ridge|lasso|elasticnet)\n", out)
    assert "  - CV MSE at each model's α.1se" in out and "candidates:" in out
    assert "rule: " in out and "max_vif=59.2" in out


def test_cli_reads_a_csv(tmp_path, capsys):
    X, y = make_regression(n_samples=80, n_features=6, n_informative=2, noise=1, random_state=0)
    path = csv_file(tmp_path, X, y)
    assert main(["advise", "--set", f"data={path}", "--set", "target=y", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["params"]["dataset"] == "csv" and payload["measurements"]["n_rows"] == 80


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        (["dataset=breast_cancer"], "dataset: 'breast_cancer' is not allowed"),
        (["folds=1"], "folds: 1 is not allowed"),
        (["alpha=1"], "alpha: unknown parameter"),
        (["dataset"], "expected KEY=VALUE"),
        (["dataset=csv"], "dataset=csv needs data=PATH"),
        (["data=/no/such.csv", "target=y"], "data: no such file"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(cli_error, settings, fragment):
    argv = ["advise"]
    for setting in settings:
        argv += ["--set", setting]
    code, err = cli_error(*argv)
    assert code == 2
    assert fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_help_lists_the_settings(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["advise", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for fragment in ("dataset", "one of synthetic, correlated, diabetes, csv", "folds", "seed"):
        assert fragment in out
