"""Tab 1 — overfitting: the polynomial fit and the error-vs-degree curve."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.app import ComposeResult

from reglab.core.overfitting.params import OverfittingParams
from reglab.widgets.axes import decade_label
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.overfitting.compute import OverfittingResult


class OverfittingPane(LabPane[OverfittingParams, "OverfittingResult"]):
    EXPLANATION = (
        "Dots: noisy points from the line 2x+1 ('truth'). Raise [b]degree[/]: the curve "
        "chases the noise, train error falls, test error climbs; [b]alpha[/] (ridge) shrinks "
        "the coefficients and calms it. At alpha 0, [b]solver[/]=lstsq drops tiny singular "
        "values (an implicit regularization); [b]solver[/]=exact keeps them: degree 14 hits "
        "every point."
    )

    def compose_charts(self) -> ComposeResult:
        yield Chart("Fit on the training points", id="fit-chart")
        yield Chart("MSE against degree (log scale)", id="degree-chart")

    def show_result(self, result: OverfittingResult) -> None:
        self.query_one("#fit-chart", Chart).show(lambda plt: draw_fit(plt, result))
        self.query_one("#degree-chart", Chart).show(lambda plt: draw_by_degree(plt, result))
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
    plt.plot(
        result.curve["x"],
        [2 * x + 1 for x in result.curve["x"]],
        color="green",
        label="truth",
        marker="braille",
    )
    # Keep the view on the data: a wild high-degree curve leaves the frame instead of
    # squashing everything else flat.
    plt.plot(result.curve["x"], result.curve["y"], color="blue", label="fit", marker="braille")
    plt.scatter(points["x"], points["y"], color="orange", marker="●", label="train")
    plt.ylim(low - margin, high + margin)
    plt.xlabel("x")


def draw_by_degree(plt, result: OverfittingResult) -> None:
    degrees = [row["degree"] for row in result.by_degree]
    plt.plot(
        degrees,
        [row["train_mse"] for row in result.by_degree],
        color="blue",
        label="train",
        marker="braille",
    )
    plt.plot(
        degrees,
        [row["test_mse"] for row in result.by_degree],
        color="red",
        label="test",
        marker="braille",
    )
    mark_x(plt, result.params.degree, color="gray")
    plt.yscale("log")
    # An interpolating fit (solver=exact) drops the train error to rounding noise, ~1e-15:
    # plotext would label that span with 20-digit numbers. Label a few decades instead.
    values = [v for row in result.by_degree for v in (row["train_mse"], row["test_mse"]) if v > 0]
    if values:
        low, high = math.log10(min(values)), math.log10(max(values))
        if high - low > 3:
            stride = math.ceil((high - low) / 3)
            decades = range(math.floor(high), math.ceil(low) - 1, -stride)
            plt.yticks([10.0**d for d in decades], [decade_label(d) for d in decades])
    plt.xticks([1, 5, 10, 15, 20])
    plt.xlabel("polynomial degree")
