"""Tab 3 — classification: logistic regression penalties, accuracy and sparsity against C,
or (key L) the learning curve at the chosen C."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal

from reglab.core.classification.params import ClassificationParams
from reglab.core.registry import Lab
from reglab.widgets.axes import (
    LEGEND_MIN_HEIGHT,
    PLOT_FRAME_ROWS,
    SERIES_MARKERS,
    mark_line,
    score_axis,
    std_band,
)
from reglab.widgets.chart import Chart, learning_rows, mark_x
from reglab.widgets.heatmap import HeatMap
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics
from reglab.widgets.param_panel import ParamPanel

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.classification.compute import ClassificationResult

# The C control's range in decades; the curve's x axis stays fixed while it fills in.
LOG_C_RANGE = (-4.0, 4.0)
C_TICKS = {-4: "1e-4", -2: "0.01", 0: "1", 2: "100", 4: "1e4"}
BY_C_TITLE = "CV accuracy and non-zero coefficients vs C"


class ClassificationPane(LabPane[ClassificationParams, "ClassificationResult"]):
    CANCEL_RUNNING = True
    EXPLANATION = (
        "Top: CV accuracy (left axis) and non-zero coefficients (right) as C grows — small C "
        "means a strong penalty. Try [b]penalty[/] l1 and lower C: coefficients drop to "
        "exactly zero while accuracy holds, until too few are left. [b]L[/]: the learning "
        "curve instead (accuracy against training rows). [b]g[/]: grid mode, an elastic-net "
        "C × l1_ratio search by ROC AUC, best cell ◆."
    )
    BINDINGS = [
        Binding(
            "g",
            "toggle_grid",
            "grid mode",
            tooltip="Toggle the C × l1_ratio grid search",
            id="classification.toggle-grid",
        ),
        # Off the footer: at 80 columns it would push the app's keys out (the explanation
        # and the ? screen name it).
        Binding(
            "L",
            "toggle_learning_curve",
            "learning curve",
            show=False,
            tooltip="Switch the top chart between accuracy vs C and the learning curve",
            id="classification.toggle-learning-curve",
        ),
    ]
    # The narrow-screen rule below starts from the screen's class, outside this widget.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    ClassificationPane .lower-charts {
        height: 1fr;
    }
    ClassificationPane .lower-charts Chart {
        width: 1fr;
    }
    ClassificationPane #grid-map {
        display: none;
    }
    ClassificationPane .lower-charts.-grid #grid-map {
        display: block;
    }
    /* 80 columns leave no room beside the heat map: it replaces the coefficients there. */
    .-narrow ClassificationPane .lower-charts.-grid #coef-chart {
        display: none;
    }
    """

    def __init__(self, lab: Lab, **kwargs: Any) -> None:
        super().__init__(lab, **kwargs)
        self.learning_curve_shown = False  # the top chart: accuracy vs C, or the learning curve
        self._drawn: ClassificationResult | None = None  # the result the charts show

    def compose_charts(self) -> ComposeResult:
        yield Chart(BY_C_TITLE, id="c-chart")
        with Horizontal(classes="lower-charts"):
            yield Chart("Coefficients", id="coef-chart")
            yield HeatMap("ROC AUC: C × l1_ratio", id="grid-map")

    def action_toggle_grid(self) -> None:
        panel = self.query_one(ParamPanel)
        panel.apply("grid", not cast(ClassificationParams, panel.params).grid)

    def action_toggle_learning_curve(self) -> None:
        """Only the drawing changes: the learning curve is part of every result."""
        self.learning_curve_shown = not self.learning_curve_shown
        chart = self.query_one("#c-chart", Chart)
        if self._drawn is None:
            chart.chart_title = self._top_title(None)
            chart.refresh()
        else:
            self._show_top_chart(self._drawn)

    def _top_title(self, result: ClassificationResult | None) -> str:
        if not self.learning_curve_shown:
            return BY_C_TITLE
        if result is None:
            return "Learning curve"
        params = result.params
        at = f"C={params.C:g}" if params.penalty != "none" else "no penalty"
        return f"Learning curve: accuracy vs training rows ({at}, {params.folds}-fold CV)"

    def _show_top_chart(self, result: ClassificationResult) -> None:
        chart = self.query_one("#c-chart", Chart)
        chart.chart_title = self._top_title(result)
        if self.learning_curve_shown:
            curve = result.learning_curve
            chart.show(lambda plt, size: draw_learning_curve(plt, curve, size.height))
        elif result.by_C:
            chart.show(lambda plt, size: draw_by_C(plt, result, size.height))

    def show_result(self, result: ClassificationResult) -> None:
        params = result.params
        self._drawn = result
        # On the two charts' row, not the pane: a class change restyles every widget below
        # it, 20-35 ms for the whole pane, the UI's longest frame in grid mode (bench_ui).
        self.query_one(".lower-charts").set_class(params.grid, "-grid")
        self._show_top_chart(result)
        coef_chart = self.query_one("#coef-chart", Chart)
        coef_chart.chart_title = coef_title(result)
        coef_chart.show(lambda plt, _size: draw_coefficients(plt, result))
        heat_map = self.query_one("#grid-map", HeatMap)
        if result.grid is not None:
            show_grid(heat_map, result.grid)
        elif params.grid:
            heat_map.waiting()
        self.query_one(Metrics).show(numbers(result))


def numbers(result: ClassificationResult) -> list[tuple[str, str]]:
    rows = [
        ("CV accuracy", f"{result.cv_accuracy_mean:.4f}"),
        ("CV ± std", f"{result.cv_accuracy_std:.4f}"),
        ("non-zero", f"{result.n_nonzero} / {result.n_coef}"),
        ("solver", result.solver),
    ]
    coef = coef_per_feature(result)
    if any(coef):
        strongest = max(range(len(coef)), key=lambda i: abs(coef[i]))
        rows.append((f"top #{strongest}", shorten(result.feature_names[strongest], 13)))
    if result.grid is not None:
        best = result.grid["best"]
        rows += [
            ("grid best", f"C={best['C']:g} l1={best['l1_ratio']:g}"),
            ("grid AUC", f"{best['roc_auc']:.4f}"),
        ]
    return rows


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def coef_per_feature(result: ClassificationResult) -> list[float]:
    """One number per feature: the signed coefficient for two classes; for more, the
    coefficients' Euclidean norm over the classes (zero only if every class drops it)."""
    if len(result.coef) == 1:
        return list(result.coef[0])
    return [math.sqrt(sum(c * c for c in column)) for column in zip(*result.coef, strict=True)]


def coef_title(result: ClassificationResult) -> str:
    if len(result.coef) == 1:
        return f"Coefficients (log-odds of {result.classes[1]})"
    return f"‖coef‖ per feature, {len(result.coef)} classes"


def draw_by_C(plt, result: ClassificationResult, height: int) -> None:
    legend = height >= LEGEND_MIN_HEIGHT
    log_cs = [math.log10(row["C"]) for row in result.by_C]
    accuracy = [row["accuracy"] for row in result.by_C]
    # Sparsity first, so that accuracy (the headline) is drawn on top where they cross.
    nonzero = [row["n_nonzero"] for row in result.by_C]
    plt.plot(log_cs, nonzero, color="orange", marker="braille", yside="right")
    mark_line(
        plt, log_cs, nonzero, "orange", SERIES_MARKERS[1],
        "non-zero (right)" if legend else None, yside="right",
    )  # fmt: skip
    # ±1 standard deviation of the folds' accuracies, dim, around the mean.
    spread = [row.get("accuracy_std", 0.0) for row in result.by_C]
    band = std_band(plt, log_cs, accuracy, spread, "blue")
    plt.plot(log_cs, accuracy, color="blue", marker="braille")
    label = "accuracy ± std (left)" if legend else None
    mark_line(plt, log_cs, accuracy, "blue", SERIES_MARKERS[0], label)
    score_axis(plt, [*accuracy, *band], height)
    # Zero belongs on the sparsity axis, "all coefficients dropped" must look like it; the
    # headroom keeps a flat "all kept" line off the accuracy plateau along the top edge.
    top = result.n_coef
    plt.ylim(0, top * 1.6, yside="right")
    middle = [round(top / 2)] if height - PLOT_FRAME_ROWS >= 6 else []
    plt.yticks(sorted({0, *middle, top}), yside="right")
    penalized = result.params.penalty != "none"
    if penalized:
        mark_x(plt, math.log10(result.params.C), color="gray")
    plt.xlim(*LOG_C_RANGE)
    plt.xticks(list(C_TICKS), list(C_TICKS.values()))
    plt.xlabel("C (log scale, gray: current)" if penalized else "C: unused without a penalty")
    plt.ylabel("accuracy", yside="left")
    plt.ylabel("non-zero", yside="right")


def draw_learning_curve(plt, curve: dict, height: int) -> None:
    """Train and CV accuracy against training rows, ±1 std over the folds as dim lines (as
    LearningCurveDisplay's band); sizes whose fits failed (NaN, e.g. one class) are left out."""
    legend = height >= LEGEND_MIN_HEIGHT
    shown: list[float] = []
    for name, color, marker, label in (
        ("train", "blue", "●", "train"),
        ("test", "red", "◆", "CV"),
    ):
        rows = learning_rows(curve, name)
        if not rows:
            continue
        sizes = [row[0] for row in rows]
        means = [row[1] for row in rows]
        # Accuracy lies in [0, 1]: the band stops there.
        upper = [min(mean + std, 1.0) for _, mean, std in rows]
        lower = [max(mean - std, 0.0) for _, mean, std in rows]
        for band in (upper, lower):
            plt.plot(sizes, band, color=color, style="dim", marker="braille")
        plt.plot(sizes, means, color=color, marker="braille")
        plt.scatter(
            sizes, means, color=color, marker=marker, label=f"{label} ± std" if legend else None
        )
        shown += upper + lower + means
    if shown:
        score_axis(plt, shown, height)
    plt.xticks(curve["train_sizes"])
    plt.xlabel("training rows per fit (CV: scored on the fold held out)")
    plt.ylabel("accuracy", yside="left")


def draw_coefficients(plt, result: ClassificationResult) -> None:
    coef = coef_per_feature(result)
    positions = list(range(len(coef)))
    plt.bar(positions, coef, color="blue", width=0.8)
    dropped = [i for i, value in enumerate(coef) if value == 0]
    if dropped:
        # Dropped features are invisible as bars; a marker on the axis shows them.
        plt.scatter(dropped, [0] * len(dropped), marker="x", color="red")
    step = max(1, math.ceil(len(coef) / 8))
    plt.xticks(positions[::step])
    plt.xlabel("feature index (x: coefficient exactly 0)" if dropped else "feature index")
    plt.ylabel("coefficient")


def show_grid(heat_map: HeatMap, grid: dict) -> None:
    cs, ratios = grid["Cs"], grid["l1_ratios"]
    auc = {(cell["C"], cell["l1_ratio"]): cell["roc_auc"] for cell in grid["cells"]}
    best = grid["best"]
    multiclass = grid["scoring"] != "roc_auc"
    heat_map.show(
        rows=[f"C={c:g}" for c in cs],
        columns=[f"l1={r:g}" for r in ratios],
        values=[[auc[c, r] for r in ratios] for c in cs],
        best=(cs.index(best["C"]), ratios.index(best["l1_ratio"])),
        caption="one-vs-rest macro ROC AUC" if multiclass else "",
    )
