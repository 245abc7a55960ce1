"""Tab 1 — overfitting: the polynomial fit and the error-vs-degree curve, or (key L) the
learning curve."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding

from reglab.core.overfitting.params import OverfittingParams
from reglab.core.registry import Lab
from reglab.widgets.axes import LEGEND_MIN_HEIGHT, SERIES_MARKERS, decade_label, mark_line
from reglab.widgets.chart import Chart, learning_rows, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.overfitting.compute import OverfittingResult

BY_DEGREE_TITLE = "MSE against degree (log scale)"
LEARNING_TITLE = "Learning curve: train and CV MSE against training points (5-fold, log)"
# The learning curve's log axis stops here: an interpolating fit's train error below it is
# rounding noise (the noise variance is 0.09 by default).
ZERO_MSE = 1e-6


class OverfittingPane(LabPane[OverfittingParams, "OverfittingResult"]):
    EXPLANATION = (
        "Dots: noisy points from the line 2x+1 ('truth'). Raise [b]degree[/]: the curve "
        "chases the noise, train error falls, test error climbs; [b]alpha[/] (ridge) calms "
        "it. At alpha 0 [b]solver[/]=lstsq drops tiny singular values (an implicit "
        "regularization), exact keeps them: degree 14 hits every point. [b]L[/]: the learning "
        "curve, train and CV error against the number of training points."
    )
    # A degree key press cancels the learning curve still being computed for the last one.
    CANCEL_RUNNING = True
    BINDINGS = [
        Binding(
            "L",
            "toggle_learning_curve",
            "learning curve",
            tooltip="Switch the lower chart between error vs degree and the learning curve",
            id="overfitting.toggle-learning-curve",
        ),
    ]

    def __init__(self, lab: Lab, **kwargs: Any) -> None:
        super().__init__(lab, **kwargs)
        self.learning_curve_shown = False  # the lower chart: error vs degree, or learning
        self._drawn: OverfittingResult | None = None  # the result on screen
        # The newest learning curve and its degree: a partial result comes without one.
        self._curve: tuple[dict, int] | None = None

    def compose_charts(self) -> ComposeResult:
        yield Chart("Fit on the training points", id="fit-chart")
        yield Chart(BY_DEGREE_TITLE, id="degree-chart")

    def action_toggle_learning_curve(self) -> None:
        """Only the drawing changes: the learning curve is part of every result."""
        self.learning_curve_shown = not self.learning_curve_shown
        chart = self.query_one("#degree-chart", Chart)
        chart.chart_title = LEARNING_TITLE if self.learning_curve_shown else BY_DEGREE_TITLE
        if self._drawn is None:
            chart.refresh()
        else:
            self._show_lower_chart(self._drawn)

    def _show_lower_chart(self, result: OverfittingResult) -> None:
        chart = self.query_one("#degree-chart", Chart)
        if not self.learning_curve_shown:
            chart.show(lambda plt, _size: draw_by_degree(plt, result))
        elif self._curve is not None:
            # Until a partial result's curve comes, the previous one stays (the status line
            # says it is being computed).
            curve, degree = self._curve
            chart.show(lambda plt, size: draw_learning_curve(plt, curve, degree, size.height))
        else:
            chart.show(lambda plt, _size: plt.xlabel("computing the learning curve…"))

    def show_result(self, result: OverfittingResult) -> None:
        self._drawn = result
        if result.learning_curve is not None:
            self._curve = (result.learning_curve, result.params.degree)
        self.query_one("#fit-chart", Chart).show(lambda plt, _size: draw_fit(plt, result))
        self._show_lower_chart(result)
        self.query_one(Metrics).show(
            [
                ("train MSE", f"{result.train_mse:.4f}"),
                ("test MSE", f"{result.test_mse:.4f}"),
                ("true MSE", f"{result.true_mse:.4f}"),
                ("test / train", ratio_text(result.test_mse / max(result.train_mse, 1e-12))),
                ("‖coef‖₂", f"{result.coef_l2_norm:.4g}"),
            ]
        )


def ratio_text(ratio: float) -> str:
    """One decimal; an interpolating fit's huge ratio in powers of ten, so it fits."""
    return f"{ratio:.1f}×" if ratio < 1e4 else f"{ratio:.1e}×"


def draw_fit(plt, result: OverfittingResult) -> None:
    points = result.train_points
    low, high = min(points["y"]), max(points["y"])
    margin = 0.3 * (high - low) + 0.1
    truth = [2 * x + 1 for x in result.curve["x"]]
    plt.plot(result.curve["x"], truth, color="green", marker="braille")
    mark_line(plt, result.curve["x"], truth, "green", SERIES_MARKERS[2], "truth")
    # Keep the view on the data: a wild high-degree curve leaves the frame instead of
    # squashing everything else flat.
    plt.plot(result.curve["x"], result.curve["y"], color="blue", marker="braille")
    mark_line(plt, result.curve["x"], result.curve["y"], "blue", SERIES_MARKERS[1], "fit")
    plt.scatter(points["x"], points["y"], color="orange", marker="●", label="train")
    plt.ylim(low - margin, high + margin)
    plt.xlabel("x")
    plt.ylabel("y")


def draw_by_degree(plt, result: OverfittingResult) -> None:
    degrees = [row["degree"] for row in result.by_degree]
    train = [row["train_mse"] for row in result.by_degree]
    test = [row["test_mse"] for row in result.by_degree]
    plt.plot(degrees, train, color="blue", marker="braille")
    plt.plot(degrees, test, color="red", marker="braille")
    mark_line(plt, degrees, train, "blue", SERIES_MARKERS[0], "train")
    mark_line(plt, degrees, test, "red", SERIES_MARKERS[1], "test")
    mark_x(plt, result.params.degree, color="gray")
    plt.yscale("log")
    decade_ticks(plt, [v for row in result.by_degree for v in (row["train_mse"], row["test_mse"])])
    plt.xticks([1, 5, 10, 15, 20])
    plt.xlabel("polynomial degree")
    plt.ylabel("MSE")


def decade_ticks(plt, values: Sequence[float]) -> None:
    """An interpolating fit (solver=exact) drops the train error to rounding noise, ~1e-15:
    plotext would label that span with 20-digit numbers. Label a few decades instead."""
    positive = [v for v in values if v > 0 and math.isfinite(v)]
    if positive:
        low, high = math.log10(min(positive)), math.log10(max(positive))
        if high - low > 3:
            stride = math.ceil((high - low) / 3)
            decades = range(math.floor(high), math.ceil(low) - 1, -stride)
            plt.yticks([10.0**d for d in decades], [decade_label(d) for d in decades])


def draw_learning_curve(plt, curve: dict, degree: int, height: int) -> None:
    """Train and CV MSE against training points on a log scale, ±1 std over the folds as dim
    lines. The scale cannot show zero: a band that reaches it, and an interpolating fit's
    train error (rounding noise, down to 1e-28), stop at the bottom edge: a decade below the
    smallest error shown, but not below ZERO_MSE."""
    positive = [
        v for name in ("train_mean", "test_mean") for v in curve[name] if v > 0 and math.isfinite(v)
    ]
    floor = max(min(positive) / 10, ZERO_MSE) if positive else ZERO_MSE
    shown: list[float] = []
    clipped = False
    for name, color, marker, label in (
        ("train", "blue", "●", "train"),
        ("test", "red", "◆", "CV"),
    ):
        rows = learning_rows(curve, name)
        if not rows:
            continue
        clipped = clipped or any(mean < floor for _, mean, _ in rows)
        sizes = [row[0] for row in rows]
        means = [max(mean, floor) for _, mean, _ in rows]
        upper = [max(mean + std, floor) for _, mean, std in rows]
        lower = [max(mean - std, floor) for _, mean, std in rows]
        for band in (upper, lower):
            plt.plot(sizes, band, color=color, style="dim", marker="braille")
        plt.plot(sizes, means, color=color, marker="braille")
        legend = f"{label} ± std" if height >= LEGEND_MIN_HEIGHT else None
        plt.scatter(sizes, means, color=color, marker=marker, label=legend)
        shown += upper + means
    plt.yscale("log")
    if shown:
        # plotext takes the limits of a log axis in decades.
        plt.ylim(math.log10(floor), math.log10(max(shown) * 2))
    decade_ticks(plt, [floor, *shown])
    plt.xticks(curve["train_sizes"])
    below = f"; bottom edge: MSE < {floor:.0e}" if clipped else ""
    plt.xlabel(f"training points (degree {degree}){below}")
    plt.ylabel("MSE")
