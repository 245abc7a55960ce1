"""Tab 4 — trees: the depth validation curve, and accuracy against ensemble size."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size

from reglab.core.spec import specs, step_value
from reglab.core.trees.params import TreesParams
from reglab.widgets.axes import (
    LEGEND_MIN_HEIGHT,
    SERIES_MARKERS,
    integer_ticks,
    mark_line,
    score_axis,
    std_band,
    thin_ticks,
)
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics
from reglab.widgets.param_panel import ParamPanel

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.trees.compute import TreesResult

ENSEMBLE_TITLES = {
    "forest": "Accuracy against the number of trees",
    "boosting": "Accuracy against boosting stages",
}


class TreesPane(LabPane[TreesParams, "TreesResult"]):
    CANCEL_RUNNING = True
    EXPLANATION = (
        "Validation curve: deeper trees fit the training rows ever better (1.0 once leaves "
        "may be small) while test accuracy stalls: depth, leaf size and max_features are the "
        "regularizers here. [b]m[/] switches tree → forest → boosting: many averaged trees, "
        "or many small shrunken steps, lift test and CV accuracy; the second chart shows "
        "accuracy as the ensemble grows."
    )
    BINDINGS = [
        Binding(
            "m",
            "next_model",
            "next model",
            tooltip="Switch tree → forest → boosting",
            id="trees.next-model",
        ),
    ]

    def compose_charts(self) -> ComposeResult:
        yield Chart("Accuracy against max_depth (validation curve)", id="depth-chart")
        yield Chart("Accuracy against ensemble size", id="ensemble-chart")

    def action_next_model(self) -> None:
        panel = self.query_one(ParamPanel)
        params = cast(TreesParams, panel.params)
        panel.apply("model", step_value(specs(params)["model"], params.model, 1))

    def show_result(self, result: TreesResult) -> None:
        if result.by_depth:
            depth_chart = self.query_one("#depth-chart", Chart)
            depth_chart.show(lambda plt, size: draw_by_depth(plt, result, size))
        ensemble = self.query_one("#ensemble-chart", Chart)
        curve = ensemble_curve(result)
        # A single tree has no ensemble to grow: the validation curve takes the room.
        ensemble.display = curve is not None
        if curve is not None:
            ensemble.chart_title = ENSEMBLE_TITLES[result.params.model]
            ensemble.show(lambda plt, size: draw_ensemble(plt, result, size))
        self.query_one(Metrics).show(numbers(result))


def ensemble_curve(result: TreesResult) -> tuple[str, list[dict]] | None:
    """The x key and rows of the accuracy-vs-size curve (boosting stages, forest trees)."""
    if result.by_stage is not None:
        return "stage", result.by_stage
    if result.by_trees is not None:
        return "n_trees", result.by_trees
    return None


def numbers(result: TreesResult) -> list[tuple[str, str]]:
    rows = [
        ("train accuracy", f"{result.train_accuracy:.4f}"),
        ("test accuracy", f"{result.test_accuracy:.4f}"),
        ("train − test", f"{result.train_accuracy - result.test_accuracy:+.4f}"),
        ("CV accuracy", f"{result.cv_accuracy_mean:.4f}"),
        ("CV ± std", f"{result.cv_accuracy_std:.4f}"),
    ]
    if result.n_leaves is not None:
        rows.append(("leaves", str(result.n_leaves)))
    rows.append(("depth reached", str(result.depth)))
    curve = ensemble_curve(result)
    if curve is not None:
        key, points = curve
        best = max(points, key=lambda row: row["test_accuracy"])  # the first best wins
        name = "best stage" if key == "stage" else "best n_trees"
        rows.append((name, f"{best[key]}: {best['test_accuracy']:.4f}"))
    rows.append(("train / test", f"{result.n_train} / {result.n_test}"))
    return rows


def depth_positions(result: TreesResult) -> tuple[list[float], list[str]]:
    """x positions and tick labels of the by_depth rows: 1, 2, ... then `none` at the end."""
    depths = [row["max_depth"] for row in result.by_depth]
    numeric = [d for d in depths if d is not None]
    last = max(numeric, default=0)
    xs = [float(last + 1 if d is None else d) for d in depths]
    return xs, ["none" if d is None else str(d) for d in depths]


def current_depth_x(result: TreesResult, xs: list[float], labels: list[str]) -> float:
    """Where the chosen max_depth sits on the curve: beyond the last numbered depth a limit
    grows the same trees as none (the curve stops at the depth the unlimited model reaches)."""
    depth = result.params.max_depth
    numbered = [x for x, label in zip(xs, labels, strict=True) if label != "none"]
    if depth is None or not numbered or depth > max(numbered):
        return max(xs)
    return float(depth)


def draw_by_depth(plt, result: TreesResult, size: Size) -> None:
    xs, labels = depth_positions(result)
    train = [row["train_accuracy"] for row in result.by_depth]
    test = [row["test_accuracy"] for row in result.by_depth]
    draw_train_test(plt, xs, train, test, size, result.n_test)
    mark_x(plt, current_depth_x(result, xs, labels), color="gray")
    plt.xticks(*thin_ticks(xs, labels, size.width))
    plt.xlabel("max_depth (gray: current)")


def draw_ensemble(plt, result: TreesResult, size: Size) -> None:
    curve = ensemble_curve(result)
    assert curve is not None  # drawn only for an ensemble (show_result checks)
    key, points = curve
    xs = [row[key] for row in points]
    train = [row["train_accuracy"] for row in points]
    test = [row["test_accuracy"] for row in points]
    draw_train_test(plt, xs, train, test, size, result.n_test)
    plt.xticks(integer_ticks(xs[0], xs[-1]))
    plt.xlabel("boosting stages" if key == "stage" else "number of trees")


def draw_train_test(
    plt, xs: list[float], train: list[float], test: list[float], size: Size, n_test: int
) -> None:
    """Train and test accuracy; around the test curve, dim, ±1 standard deviation of an
    accuracy measured on ``n_test`` rows (sqrt(p(1-p)/n)): how far it moves by chance."""
    legend = size.height >= LEGEND_MIN_HEIGHT
    spread = [math.sqrt(p * (1 - p) / max(n_test, 1)) for p in test]
    band = std_band(plt, xs, test, spread, "red")
    plt.plot(xs, train, color="blue", marker="braille")
    plt.plot(xs, test, color="red", marker="braille")
    mark_line(plt, xs, train, "blue", SERIES_MARKERS[0], "train" if legend else None)
    mark_line(plt, xs, test, "red", SERIES_MARKERS[1], "test ± std" if legend else None)
    score_axis(plt, [*train, *band], size.height)
    plt.ylabel("accuracy")
