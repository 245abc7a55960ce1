"""Which regularizer? Measure the data, compare ridge, lasso and elastic net by CV, explain.

The reference material's rules of thumb (many irrelevant features → L1; correlated features →
L2 or elastic net; a sparse signal plus correlation → elastic net; p/n > 0.5 → L2 or elastic
net) are not recited here: each is checked against a number measured on the data.

Measurements: n, p and p/n; the Pearson correlations, their groups (connected components of
the graph joining features with |r| ≥ 0.8) and the strongest pair; the largest variance
inflation factor, ``diag(R⁻¹)`` of the correlation matrix (= 1 / (1 - R²) of each feature
regressed on the others); how sparse the signal looks (lasso's non-zero count at alpha_1se).

Candidates: ridge, lasso and elastic net, each at its own alpha_1se from the lambda lab's own
computation (``reglab.core.lambda_finder.compute.run``: same grid, folds and one-SE rule).
Elastic net's l1_ratio is chosen over ``L1_RATIOS`` by the lowest minimum CV error, as
glmnetUtils' ``cva.glmnet`` compares its alphas.

The choice: among the candidates whose CV error lies within one SE of the best, the one with
the fewest non-zero coefficients; on equal counts the one with fewer tuning parameters (ridge
before lasso: a lasso that keeps every feature selects nothing). Then two measured rules may
move a lasso choice to elastic net (or ridge), when that model is also within one SE: lasso
keeps only part of a correlated group (the grouping effect elastic net was made for), or
p/n > 0.5. Every reason cites the numbers it rests on.

This module stays light to import (the CLI builds its ``--help`` from ``AdviseParams``):
numpy and scikit-learn are imported when advice is computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from reglab.core.catalog import REGRESSION_CHOICES
from reglab.core.errors import ParamError
from reglab.core.jobs import (
    CancelledCallback,
    Progress,
    ProgressCallback,
    check_cancelled,
    report,
)
from reglab.core.lambda_finder.params import LambdaParams
from reglab.core.spec import (
    LabParams,
    data_param,
    drop_param,
    encode_param,
    param,
    params_to_json,
    seed_param,
    target_param,
)

if TYPE_CHECKING:
    import numpy as np

    from reglab.core.lambda_finder.compute import LambdaResult

# Elastic net's L1 shares tried (glmnetUtils' cva.glmnet compares a grid like this one).
L1_RATIOS = (0.1, 0.5, 0.9, 0.95, 0.99)
GROUP_R = 0.8  # |r| at or above this joins two features into a correlated group
HIGH_VIF, MODERATE_VIF = 10.0, 5.0  # the usual thresholds for strong / moderate collinearity
SPARSE_SHARE = 0.5  # lasso keeping at most this share of the features: a sparse signal
WIDE_P_OVER_N = 0.5  # the reference material's threshold for "many features per row"
LABELS = {"ridge": "ridge", "lasso": "lasso", "elasticnet": "elastic net"}
# Tuning parameters: alpha for ridge and lasso, alpha and l1_ratio for elastic net. On equal
# non-zero counts ridge comes before lasso: a lasso that keeps them all selects nothing.
SIMPLICITY = ("ridge", "lasso", "elasticnet")


@dataclass(frozen=True)
class AdviseParams(LabParams):
    """The data and the CV settings the advice is measured with (as in the lambda lab)."""

    lab: ClassVar[str] = "advise"
    dataset: str = param(
        "synthetic", "regression data to advise on", choices=tuple(REGRESSION_CHOICES)
    )
    data: str = data_param()
    target: str = target_param()
    drop: str = drop_param()
    encode: str = encode_param()
    standardize: bool = param(False, "scale features inside each training fold")
    folds: int = param(5, "cross-validation folds", low=2, high=20)
    splitter: str = param("kfold", "how folds are cut", choices=("kfold", "timeseries"))
    seed: int = seed_param()

    @classmethod
    def from_lambda(cls, params: LambdaParams) -> AdviseParams:
        """The advice's settings for the lambda lab's current ones (its data, folds,
        splitter, scaling and seed); refused for logistic, which is not a regression."""
        params = params.effective()
        if params.model == "logistic":
            raise ParamError(
                "model",
                "the advice compares ridge, lasso and elastic net on regression data; "
                "choose model=ridge, lasso or elasticnet",
            )
        return cls(
            dataset=params.dataset,
            data=params.data,
            target=params.target,
            drop=params.drop,
            encode=params.encode,
            standardize=bool(params.standardize),
            folds=params.folds,
            splitter=params.splitter,
            seed=params.seed,
        )

    def lambda_params(self, model: str, l1_ratio: float | None = None) -> LambdaParams:
        """The lambda lab's settings for one candidate on these data."""
        return LambdaParams(
            model=model,
            l1_ratio="auto" if l1_ratio is None else l1_ratio,
            folds=self.folds,
            splitter=self.splitter,
            standardize=self.standardize,
            dataset=self.dataset,
            data=self.data,
            target=self.target,
            drop=self.drop,
            encode=self.encode,
            seed=self.seed,
        )


@dataclass(frozen=True)
class Candidate:
    """One model at its own alpha_1se: CV MSE ± SE there and its non-zero coefficients."""

    model: str
    alpha: float
    l1_ratio: float
    cv_mean: float
    cv_se: float
    n_nonzero: int


@dataclass(frozen=True)
class Group:
    """Features joined by |r| ≥ GROUP_R; ``pair`` is its most correlated pair (r signed),
    ``kept`` the members each candidate keeps at its alpha_1se."""

    features: list[str]
    pair: list[str]
    r: float
    kept: dict[str, list[str]]


@dataclass(frozen=True)
class Measurements:
    n_rows: int
    n_features: int
    p_over_n: float
    strongest_pair: list[str] | None  # the most correlated pair of features (None: p < 2)
    strongest_r: float | None
    correlation_threshold: float
    correlated_groups: list[Group]
    max_vif: float  # inf when the features are linearly dependent (JSON: null, with a note)
    max_vif_feature: str | None
    lasso_nonzero: int  # lasso's non-zero coefficients at its alpha_1se
    lasso_nonzero_share: float
    l1_ratio_search: list[dict[str, float]]  # per l1_ratio: min CV MSE, alpha_1se, ...
    constant_features: list[str]  # left out of the correlations and VIF


@dataclass(frozen=True)
class AdviseResult:
    """The advice; its JSON has ``params``, ``measurements``, ``candidates``,
    ``recommendation``, ``rule``, ``reasons`` and ``notes``, as a lab result does."""

    params: AdviseParams
    measurements: Measurements
    candidates: list[Candidate]
    recommendation: str  # ridge | lasso | elasticnet
    rule: str  # which rule decided, in words
    reasons: list[str]  # each cites a measured number
    notes: tuple[str, ...] = ()

    @property
    def chosen(self) -> Candidate:
        return next(c for c in self.candidates if c.model == self.recommendation)

    def headline(self) -> str:
        """One line: the model and where it sits, e.g. for the lambda lab's panel."""
        pick = self.chosen
        ratio = f"l1_ratio {pick.l1_ratio:g}, " if pick.model == "elasticnet" else ""
        return (
            f"{LABELS[pick.model]} ({ratio}α.1se {pick.alpha:.4g}: CV MSE "
            f"{pick.cv_mean:.4g} ± {pick.cv_se:.3g}, "
            f"{pick.n_nonzero} of {self.measurements.n_features} non-zero)"
        )

    def to_json(self) -> dict[str, Any]:
        from reglab.core.results import to_plain

        nonfinite: list[str] = []
        payload: dict[str, Any] = {"lab": self.params.lab, "params": params_to_json(self.params)}
        for name in ("measurements", "candidates", "recommendation", "rule", "reasons"):
            payload[name] = to_plain(getattr(self, name), name, nonfinite)
        notes = list(self.notes)
        if nonfinite:
            notes.append("not finite, shown as null: " + ", ".join(sorted(set(nonfinite))))
        payload["notes"] = notes
        return payload


# --- measurements ---------------------------------------------------------------------


def correlation_matrix(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pearson correlations of the non-constant columns (``np.corrcoef``'s numbers without
    its NaN rows for constant ones) and the mask of the constant columns."""
    import numpy as np

    constant = np.ptp(X, axis=0) == 0
    centred = X[:, ~constant] - X[:, ~constant].mean(axis=0)
    scaled = centred / np.linalg.norm(centred, axis=0)
    R = np.clip(scaled.T @ scaled, -1.0, 1.0)
    np.fill_diagonal(R, 1.0)
    return R, constant


def vifs(R: np.ndarray) -> np.ndarray:
    """Variance inflation factors: the diagonal of the inverse correlation matrix, inf for
    every feature when the features are (numerically) linearly dependent."""
    import numpy as np

    eigenvalues = np.linalg.eigvalsh(R)
    if eigenvalues[0] <= eigenvalues[-1] * 1e-12:
        return np.full(len(R), math.inf)
    return np.diag(np.linalg.inv(R)).copy()


def _dependent_feature(R: np.ndarray) -> int:
    """The feature weighing most in the near-null direction of a singular R."""
    import numpy as np

    _, vectors = np.linalg.eigh(R)
    return int(np.argmax(np.abs(vectors[:, 0])))


def correlated_groups(R: np.ndarray, threshold: float = GROUP_R) -> list[np.ndarray]:
    """Connected components (two features or more) of the graph with an edge wherever
    |r| ≥ threshold, most correlated first."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.abs(R) >= threshold
    np.fill_diagonal(edges, False)
    count, labels = connected_components(csr_matrix(edges), directed=False)
    groups = [np.flatnonzero(labels == label) for label in range(count)]
    groups = [g for g in groups if len(g) > 1]
    return sorted(groups, key=lambda g: -_strongest(R, g)[2])


def _strongest(R: np.ndarray, members: np.ndarray) -> tuple[int, int, float]:
    """The most correlated pair among ``members`` (indices into R) and its |r|."""
    import numpy as np

    block = np.abs(R[np.ix_(members, members)])
    np.fill_diagonal(block, -1.0)
    i, j = np.unravel_index(int(np.argmax(block)), block.shape)
    return int(members[min(i, j)]), int(members[max(i, j)]), float(block[i, j])


# --- the computation ------------------------------------------------------------------


def advise(
    params: AdviseParams,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> AdviseResult:
    import numpy as np

    from reglab.core.datasets import data_key, load
    from reglab.core.lambda_finder.compute import run as lambda_run

    params = params.effective()
    report(progress, 0.0, "reading the data")
    data = load(data_key(params, "regression"))
    names = list(data.feature_names)
    X = np.asarray(data.X, dtype=float)
    runs = [("ridge", None), ("lasso", None), *(("elasticnet", r) for r in L1_RATIOS)]
    results: list[LambdaResult] = []
    for index, (model, l1_ratio) in enumerate(runs):
        check_cancelled(cancelled)
        label = LABELS[model] + ("" if l1_ratio is None else f" l1_ratio {l1_ratio:g}")
        results.append(
            lambda_run(
                params.lambda_params(model, l1_ratio),
                _scaled(progress, index, len(runs), label),
                cancelled,
            )
        )
    ridge, lasso, *enets = results
    enet = min(enets, key=lambda r: r.score_min)  # first (smallest l1_ratio) on ties
    picked = [ridge, lasso, enet]
    candidates = [_candidate(r) for r in picked]
    kept = {r.params.model: _kept(r) for r in picked}
    measurements = _measure(X, names, lasso, enets, kept)
    model, rule, decision = recommend(candidates, measurements)
    reasons = [*decision, *context_reasons(measurements, candidates, enet.params.l1_ratio)]
    report(progress, 1.0, "done")
    return AdviseResult(
        params=params,
        measurements=measurements,
        candidates=candidates,
        recommendation=model,
        rule=rule,
        reasons=reasons,
        notes=_notes(data.notes, picked),
    )


def _scaled(
    progress: ProgressCallback | None, index: int, total: int, label: str
) -> ProgressCallback:
    def forward(update: Progress) -> None:
        report(progress, (index + update.fraction) / total, f"{label}: {update.message}")

    return forward


def _candidate(result: LambdaResult) -> Candidate:
    return Candidate(
        model=result.params.model,
        alpha=result.alpha_1se,
        l1_ratio=float(result.params.l1_ratio),
        cv_mean=result.score_1se,
        cv_se=result.cv_se[result.index_1se],
        n_nonzero=result.n_nonzero_1se,
    )


def _kept(result: LambdaResult) -> set[str]:
    return {n for n, c in zip(result.feature_names, result.coef_1se, strict=True) if c != 0}


def _measure(
    X: np.ndarray,
    names: list[str],
    lasso: LambdaResult,
    enets: list[LambdaResult],
    kept: dict[str, set[str]],
) -> Measurements:
    import numpy as np

    n, p = X.shape
    R, constant = correlation_matrix(X)
    varying = [name for name, c in zip(names, constant, strict=True) if not c]
    strongest_pair, strongest_r = None, None
    if len(varying) >= 2:
        i, j, _ = _strongest(R, np.arange(len(varying)))
        strongest_pair, strongest_r = [varying[i], varying[j]], float(R[i, j])
    groups = []
    for members in correlated_groups(R):
        i, j, _ = _strongest(R, members)
        features = [varying[m] for m in members]
        groups.append(
            Group(
                features=features,
                pair=[varying[i], varying[j]],
                r=float(R[i, j]),
                kept={model: [f for f in features if f in k] for model, k in kept.items()},
            )
        )
    max_vif, max_vif_feature = 1.0, varying[0] if varying else None
    if varying:
        factors = vifs(R)
        worst = int(np.argmax(factors)) if np.isfinite(factors).all() else _dependent_feature(R)
        max_vif, max_vif_feature = float(factors[worst]), varying[worst]
    search = [
        {
            "l1_ratio": float(r.params.l1_ratio),
            "cv_min": r.score_min,
            "alpha_1se": r.alpha_1se,
            "cv_1se": r.score_1se,
            "n_nonzero_1se": r.n_nonzero_1se,
        }
        for r in enets
    ]
    return Measurements(
        n_rows=n,
        n_features=p,
        p_over_n=p / n,
        strongest_pair=strongest_pair,
        strongest_r=strongest_r,
        correlation_threshold=GROUP_R,
        correlated_groups=groups,
        max_vif=max_vif,
        max_vif_feature=max_vif_feature,
        lasso_nonzero=lasso.n_nonzero_1se,
        lasso_nonzero_share=lasso.n_nonzero_1se / p,
        l1_ratio_search=search,
        constant_features=[name for name, c in zip(names, constant, strict=True) if c],
    )


def _notes(data_notes: tuple[str, ...], results: list[LambdaResult]) -> tuple[str, ...]:
    notes: list[str] = list(data_notes)
    for result in results:
        label = LABELS[result.params.model]
        notes += [f"{label}: {note}" for note in result.notes if note not in data_notes]
    return tuple(dict.fromkeys(notes))


# --- the choice and its reasons -------------------------------------------------------


def _cv(candidate: Candidate) -> str:
    return f"{candidate.cv_mean:.4g} ± {candidate.cv_se:.3g}"


def _names(models: list[str]) -> str:
    labels = [LABELS[m] for m in models]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def recommend(
    candidates: list[Candidate], measurements: Measurements
) -> tuple[str, str, list[str]]:
    """The model, the rule that chose it, and the reasons for the choice (module doc)."""
    by_model = {c.model: c for c in candidates}
    best = min(candidates, key=lambda c: c.cv_mean)
    threshold = best.cv_mean + best.cv_se
    within = [c for c in candidates if c.cv_mean <= threshold]
    table = ", ".join(f"{LABELS[c.model]} {_cv(c)}" for c in candidates)
    reasons = [
        f"CV MSE at each model's α.1se: {table}; the best is {LABELS[best.model]}, and "
        f"{_names([c.model for c in within])} "
        f"{'is' if len(within) == 1 else 'are'} within 1 SE of it (≤ {threshold:.4g})"
    ]
    fewest = min(c.n_nonzero for c in within)
    sparsest = [c for c in within if c.n_nonzero == fewest]
    p = measurements.n_features
    if len(within) == 1:
        pick, rule = best, "lowest CV error: no other model within 1 SE of the best"
        reasons.append(
            f"{LABELS[best.model]}: only it reaches CV MSE {_cv(best)}; the others are more "
            f"than 1 SE ({best.cv_se:.3g}) worse"
        )
    elif len(sparsest) == 1:
        pick = sparsest[0]
        rule = "tie within 1 SE: the simpler model, the fewest non-zero coefficients"
        others = ", ".join(f"{c.n_nonzero} for {LABELS[c.model]}" for c in within if c is not pick)
        reasons.append(
            f"{LABELS[pick.model]}: within 1 SE of the best it keeps the fewest non-zero "
            f"coefficients, {pick.n_nonzero} of {p} (against {others}); "
            f"rule: {rule}"
        )
    else:
        pick = min(sparsest, key=lambda c: SIMPLICITY.index(c.model))
        rule = (
            "tie within 1 SE and equal non-zero counts: fewer tuning parameters "
            "(ridge before lasso, lasso before elastic net)"
        )
        tied = [c.model for c in sparsest]
        why = f"{_names(tied)} each keep {fewest} of {p} coefficients, so the count cannot decide"
        if pick.model == "ridge" and fewest == p:
            why += f"; lasso keeps all {p}, so its L1 penalty selects nothing"
            if measurements.strongest_pair is not None:
                a, b = measurements.strongest_pair
                why += (
                    f", while ridge shares the weight of correlated features such as {a} and "
                    f"{b} (r = {measurements.strongest_r:.2f}) instead of picking one"
                )
        reasons.append(f"{LABELS[pick.model]}: {why}; rule: {rule}")
    if pick.model == "lasso":
        switched = _switch_from_lasso(by_model, within, measurements)
        if switched is not None:
            pick_model, rule, reason = switched
            return pick_model, rule, [*reasons, reason]
    return pick.model, rule, reasons


def _switch_from_lasso(
    by_model: dict[str, Candidate], within: list[Candidate], measurements: Measurements
) -> tuple[str, str, str] | None:
    """The measured rules that move a lasso choice: a correlated group lasso splits, which
    elastic net (within 1 SE) keeps more of; or p/n > 0.5."""
    close = {c.model for c in within}
    if "elasticnet" in close:
        for group in measurements.correlated_groups:
            lasso_kept, enet_kept = group.kept.get("lasso", []), group.kept.get("elasticnet", [])
            if 0 < len(lasso_kept) < len(group.features) and len(enet_kept) > len(lasso_kept):
                a, b = group.pair
                size = len(group.features)
                rule = (
                    "a correlated group that lasso splits: elastic net, within 1 SE, keeps "
                    "more of it"
                )
                return (
                    "elasticnet",
                    rule,
                    f"elastic net: {a} and {b} correlate at r = {group.r:.2f} and lasso keeps "
                    f"only {len(lasso_kept)} of the {size} in their group "
                    f"({', '.join(lasso_kept)}); elastic net keeps {len(enet_kept)} with "
                    f"CV MSE {_cv(by_model['elasticnet'])}, within 1 SE of the best; "
                    f"rule: {rule}",
                )
    ratio = measurements.p_over_n
    if ratio > WIDE_P_OVER_N:
        for model in ("elasticnet", "ridge"):
            if model in close:
                rule = f"p/n > {WIDE_P_OVER_N:g}: elastic net or ridge when within 1 SE"
                return (
                    model,
                    rule,
                    f"{LABELS[model]}: p/n = {ratio:.3g} > {WIDE_P_OVER_N:g} "
                    f"({measurements.n_features} features, {measurements.n_rows} rows), where "
                    f"lasso's choice of features is unstable; {LABELS[model]} is within 1 SE "
                    f"(CV MSE {_cv(by_model[model])}); rule: {rule}",
                )
    return None


def context_reasons(
    measurements: Measurements, candidates: list[Candidate], l1_ratio: float
) -> list[str]:
    """What was measured, each with its numbers: sparsity, correlation, VIF, p/n, l1_ratio."""
    m = measurements
    share = m.lasso_nonzero_share
    if share <= SPARSE_SHARE:
        verdict = "the signal looks sparse"
    elif m.lasso_nonzero == m.n_features:
        verdict = "every feature carries signal (dense)"
    else:
        verdict = "most features carry signal"
    reasons = [
        f"lasso at α.1se keeps {m.lasso_nonzero} of {m.n_features} features "
        f"({share:.0%}): {verdict}"
    ]
    reasons.append(_correlation_reason(m))
    if m.max_vif_feature is not None:
        if not math.isfinite(m.max_vif):
            reasons.append(
                f"largest VIF unbounded ({m.max_vif_feature}): some of the {m.n_features} "
                "features are linear combinations of others"
            )
        else:
            level = (
                "strong collinearity"
                if m.max_vif >= HIGH_VIF
                else "moderate collinearity"
                if m.max_vif >= MODERATE_VIF
                else "little collinearity"
            )
            reasons.append(
                f"largest VIF {m.max_vif:.3g} ({m.max_vif_feature}): {level} "
                f"(VIF ≥ {HIGH_VIF:g} is strong, ≥ {MODERATE_VIF:g} moderate)"
            )
    wide = (
        "more features than rows"
        if m.n_features > m.n_rows
        else (
            f"above {WIDE_P_OVER_N:g}, many features per row"
            if m.p_over_n > WIDE_P_OVER_N
            else f"at most {WIDE_P_OVER_N:g}, rows enough for every feature"
        )
    )
    reasons.append(f"p/n = {m.p_over_n:.3g} ({m.n_features} features, {m.n_rows} rows): {wide}")
    ratios = ", ".join(f"{r:g}" for r in L1_RATIOS)
    best = min(m.l1_ratio_search, key=lambda s: s["cv_min"])
    reasons.append(
        f"elastic net's l1_ratio {l1_ratio:g} has the lowest minimum CV MSE "
        f"({best['cv_min']:.4g}) of {ratios}"
    )
    return reasons


def _correlation_reason(m: Measurements) -> str:
    if m.strongest_pair is None:
        return f"{m.n_features - len(m.constant_features)} varying feature(s): no pair to correlate"
    if not m.correlated_groups:
        a, b = m.strongest_pair
        return (
            f"no pair of features reaches |r| ≥ {m.correlation_threshold:g}; the strongest is "
            f"{a} and {b} at r = {m.strongest_r:.2f}"
        )
    group = m.correlated_groups[0]
    a, b = group.pair
    kept = ", ".join(f"{LABELS[model]} {len(names)}" for model, names in group.kept.items())
    more = len(m.correlated_groups) - 1
    tail = f"; {more} more group(s) at |r| ≥ {m.correlation_threshold:g}" if more else ""
    return (
        f"{a} and {b} correlate at r = {group.r:.2f} (a group of {len(group.features)} at "
        f"|r| ≥ {m.correlation_threshold:g}); of it each model keeps: {kept}{tail}"
    )
