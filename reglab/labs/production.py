"""Tab 8 — production: CV honesty, selection stability, a leakage check and drift, one
view at a time (c, w, k, d; v cycles). Every number comes from ``core/production``."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal, get_args

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from reglab.core.production.params import ProductionParams
from reglab.widgets.axes import LEGEND_MIN_HEIGHT, log_alpha_ticks
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics
from reglab.widgets.strip import SelectionStrip

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.production.compute import ProductionResult

View = Literal["cv", "stability", "leakage", "drift"]
VIEWS: tuple[View, ...] = get_args(View)
STRIP_MODELS = ("lasso", "elasticnet", "ridge")
SPLITTER_STYLE = {  # colour and marker: told apart without colour too
    "shuffled": ("red", "x"),
    "kfold": ("orange", "+"),
    "timeseries": ("blue", "braille"),
}
STRIP_LABEL = {"lasso": "lasso", "elasticnet": "enet", "ridge": "ridge"}
SPLITTER_LABEL = {"shuffled": "shuffled", "kfold": "kfold", "timeseries": "tss"}
MODEL_COLOR = {"lasso": "red", "elasticnet": "green", "ridge": "blue"}
DRIFT_BARS = 15  # the most shifted features the drift chart shows
CAPTIONS: dict[View, str] = {
    "cv": "Shuffled K-fold scores each day with its neighbours in training: its CV error "
    "sits below the hold-out. TimeSeriesSplit only predicts forward, as production will.",
    "stability": "█ kept, · dropped, per retraining window ([b]m[/]: lasso → elastic net → "
    "ridge top-k). Lasso picks one of a group of correlated lags; the elastic net keeps the "
    "group. Lower Jaccard = a less stable selection.",
    "leakage": "With many noisy features an honest model needs its penalty. An "
    "unregularized fit that keeps almost all of the tuned one's test R² is suspect: some "
    "feature carries the answer (try leak=true).",
    "drift": "Old window against the recent one: PSI ≥ 0.1 moderate, ≥ 0.25 shifted. "
    "RidgeCV's alpha on each window, the old model on recent data, and a diagnosis.",
}


class ProductionPane(LabPane[ProductionParams, "ProductionResult"]):
    CANCEL_RUNNING = True
    EXPLANATION = (
        "Four checks for a regularized model that meets time. [b]c[/] CV honesty: shuffled "
        "K-fold against TimeSeriesSplit and a truly later hold-out. [b]w[/] selection "
        "stability across retraining windows, and lasso-picks-ridge-refits. [b]k[/] leakage "
        "check. [b]d[/] drift: KS and PSI per feature, the old alpha on recent data, and a "
        "diagnosis. [b]v[/] cycles the views."
    )
    BINDINGS = [
        Binding("c", "show_view('cv')", "CV honesty", id="production.cv"),
        Binding("w", "show_view('stability')", "stability", id="production.stability"),
        Binding("k", "show_view('leakage')", "leakage", id="production.leakage"),
        Binding("d", "show_view('drift')", "drift", id="production.drift"),
        Binding(
            "v",
            "next_view",
            "next view",
            tooltip="Cycle CV honesty → stability → leakage → drift",
            id="production.next-view",
        ),
        Binding(
            "m",
            "next_strip_model",
            "strip model",
            tooltip="The stability strip's model: lasso → elastic net → ridge",
            id="production.strip-model",
        ),
    ]
    SCOPED_CSS = False  # the -short rule below starts above the pane, at the screen
    DEFAULT_CSS = """
    ProductionPane .view { display: none; height: 1fr; }
    ProductionPane.-cv #view-cv,
    ProductionPane.-stability #view-stability,
    ProductionPane.-leakage #view-leakage,
    ProductionPane.-drift #view-drift { display: block; }
    ProductionPane .caption { height: auto; max-height: 3; color: $text-muted; }
    ProductionPane #diagnosis { height: auto; text-style: bold; }
    /* A short screen keeps the view's own caption; the whole text is on the ? screen. */
    .-short ProductionPane .explanation { display: none; }
    """

    view: reactive[View] = reactive("cv", init=False)
    strip_model: reactive[str] = reactive("lasso", init=False)

    def compose_charts(self) -> ComposeResult:
        self.add_class("-cv")
        with Vertical(id="view-cv", classes="view"):
            yield Chart("CV error against alpha, by splitter", id="cv-chart")
        with Vertical(id="view-stability", classes="view"):
            yield SelectionStrip("computing…", id="strip")
            yield Chart("Jaccard of consecutive windows", id="jaccard-chart")
        with Vertical(id="view-leakage", classes="view"):
            yield Chart("Hold-out R²: unregularized against α.min", id="leakage-chart")
        with Vertical(id="view-drift", classes="view"):
            yield Static("", id="diagnosis")
            yield Chart("PSI per feature, old window → recent", id="drift-chart")
        yield Static(CAPTIONS["cv"], id="caption", classes="caption")

    def action_show_view(self, view: View) -> None:
        self.view = view

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]

    def action_next_strip_model(self) -> None:
        self.strip_model = STRIP_MODELS[(STRIP_MODELS.index(self.strip_model) + 1) % 3]
        self.view = "stability"

    def watch_view(self, old: View, new: View) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")
        if self.built:
            self.query_one("#caption", Static).update(CAPTIONS[new])
            if self.result is not None:
                self.show_result(self.result)

    def watch_strip_model(self) -> None:
        if self.result is not None and self.built:
            self.show_result(self.result)

    def show_result(self, result: ProductionResult) -> None:
        view = self.view
        if view == "cv":
            chart = self.query_one("#cv-chart", Chart)
            chart.show(lambda plt, size: draw_cv(plt, result, size.height))
        elif view == "stability":
            model = self.strip_model
            names, kept = strip_rows(result, model)
            windows = len(result.stability["windows"])
            self.query_one(SelectionStrip).show(
                f"{model}: features kept in each of {windows} windows",
                names,
                kept,
                MODEL_COLOR[model],
            )
            jaccard = self.query_one("#jaccard-chart", Chart)
            jaccard.show(lambda plt, size: draw_jaccard(plt, result, size.height))
        elif view == "leakage":
            chart = self.query_one("#leakage-chart", Chart)
            chart.show(lambda plt, _size: draw_leakage(plt, result))
        else:
            self.query_one("#diagnosis", Static).update(f"→ {result.drift['diagnosis']}")
            chart = self.query_one("#drift-chart", Chart)
            chart.show(lambda plt, _size: draw_drift(plt, result))
        self.query_one(Metrics).show(numbers(result, view, self.strip_model))


def numbers(result: ProductionResult, view: View, model: str) -> list[tuple[str, str]]:
    rows = [("rows fit/later", f"{result.n_train}/{result.n_holdout}")]
    if view == "cv":
        for entry in result.cv_by_splitter:
            best = entry["alphas"].index(entry["alpha_min"])
            rows += [
                (f"{SPLITTER_LABEL[entry['splitter']]} α.min", f"{entry['alpha_min']:.4g}"),
                ("  CV → hold-out", f"{entry['cv_mean'][best]:.3g} → {entry['holdout_mse']:.3g}"),
            ]
    elif view == "stability":
        stability, stage = result.stability, result.two_stage
        rows += [
            (f"Jaccard {STRIP_LABEL[m]}", f"{stability['mean_jaccard'][m]:.3f}")
            for m in STRIP_MODELS
        ]
        rows += [("lasso α", f"{stability['alpha']:.4g}"), ("two-stage kept", str(stage["n_kept"]))]
        if stage["holdout_mse"] is not None:
            rows += [
                ("two-stage hold-out", f"{stage['holdout_mse']:.4g}"),
                ("lasso hold-out", f"{stage['lasso_holdout_mse']:.4g}"),
            ]
    elif view == "leakage":
        leak = result.leakage
        rows += [
            ("R² ratio", "n/a" if not math.isfinite(leak["ratio"]) else f"{leak['ratio']:.3f}"),
            ("flag at ≥", f"{leak['threshold']:g}"),
            ("suspect leakage", "YES" if leak["flagged"] else "no"),
            ("top feature", leak["top_feature"]),
            ("  weight share", f"{leak['top_share']:.0%}"),
        ]
        for key, label in (("without_leak", "no leak"), ("with_leak", "look-ahead")):
            pair = leak[key]
            rows.append(
                (
                    f"{label} R² OLS/α",
                    f"{pair['unregularized_r2']:.3f} / {pair['regularized_r2']:.3f}",
                )
            )
    else:
        drift = result.drift
        shifted = sum(row["level"] == "major" for row in drift["features"])
        rows += [
            ("PSI ≥ 0.25", f"{shifted} / {len(drift['features'])}"),
            ("α old → new", f"{drift['alpha_old']:.3g}→{drift['alpha_new']:.3g}"),
            ("CV old α on new", f"{drift['cv_old_alpha_on_new']:.4g}"),
            ("CV new α on new", f"{drift['cv_new_alpha_on_new']:.4g}"),
            ("old model on new", f"{drift['old_model_on_new']:.4g}"),
            ("rank ρ old/new", f"{drift['rank_spearman']:.3f}"),
        ]
    return rows


def strip_rows(result: ProductionResult, model: str):
    """The features ``model`` kept in any window, the most often kept first (the strip
    shows as many as it has rows for), and for each a kept/dropped flag per window."""
    picks = [set(window) for window in result.stability["selected"][model]]
    counts = {name: sum(name in p for p in picks) for name in result.feature_names}
    ranked = [n for n in sorted(counts, key=lambda n: -counts[n]) if counts[n] > 0]
    return ranked, [[name in p for p in picks] for name in ranked]


def draw_cv(plt, result: ProductionResult, height: int) -> None:
    legend = height >= LEGEND_MIN_HEIGHT
    alphas = result.holdout_path["alphas"]
    log_alphas = [math.log10(a) for a in alphas]
    plt.plot(
        log_alphas,
        result.holdout_path["mse"],
        color="gray",
        marker="dot",
        label="hold-out" if legend else None,
    )
    for entry in result.cv_by_splitter:
        color, marker = SPLITTER_STYLE[entry["splitter"]]
        xs = [math.log10(a) for a in entry["alphas"]]
        plt.plot(
            xs,
            entry["cv_mean"],
            color=color,
            marker=marker,
            label=entry["splitter"] if legend else None,
        )
        mark_x(plt, math.log10(entry["alpha_min"]), color=color)
    plt.yscale("log")  # the hold-out can sit far above every CV curve
    plt.xticks(*log_alpha_ticks(alphas))
    plt.xlabel("alpha (log scale) — stronger penalty →")
    plt.ylabel("MSE (log)")


def draw_jaccard(plt, result: ProductionResult, height: int) -> None:
    legend = height >= LEGEND_MIN_HEIGHT
    for model in STRIP_MODELS:
        values = result.stability["jaccard"][model]
        plt.plot(
            list(range(1, len(values) + 1)),
            values,
            color=MODEL_COLOR[model],
            marker={"lasso": "x", "elasticnet": "+", "ridge": "braille"}[model],
            label=model if legend else None,
        )
    plt.ylim(0, 1.05)
    plt.xlabel("window → next window")
    plt.ylabel("Jaccard")


def draw_leakage(plt, result: ProductionResult) -> None:
    leak = result.leakage
    pairs = [leak["without_leak"], leak["with_leak"]]
    plt.multiple_bar(
        ["no look-ahead", "look-ahead feature"],
        [
            [max(p["unregularized_r2"], 0.0) for p in pairs],
            [max(p["regularized_r2"], 0.0) for p in pairs],
        ],
        labels=["unregularized (OLS)", "α.min (lasso)"],
        color=["red", "blue"],
    )
    plt.ylim(0, 1.05)
    plt.ylabel("hold-out R² (below 0 drawn at 0)")


def draw_drift(plt, result: ProductionResult) -> None:
    top = result.drift["features"][:DRIFT_BARS][::-1]  # the largest at the top
    plt.bar(
        [row["name"] for row in top],
        [row["psi"] for row in top],
        orientation="horizontal",
        color="blue",
        width=0.6,
    )
    for threshold, color in ((0.1, "orange"), (0.25, "red")):
        plt.vline(threshold, color)
    plt.xlabel("PSI (orange 0.1 moderate, red 0.25 shifted)")
    plt.ylabel("feature")
