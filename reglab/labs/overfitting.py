"""Tab 1 — overfitting: the polynomial fit and the error-vs-degree curve."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult

from reglab.core.overfitting.params import OverfittingParams
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.overfitting.compute import OverfittingResult


class OverfittingPane(LabPane[OverfittingParams, "OverfittingResult"]):
    EXPLANATION = (
        "Dots: the noisy training points; 'truth' is the line 2x+1 they came from. "
        "Raise [b]degree[/]: the curve chases the noise, train error falls, test error climbs. "
        "Then raise [b]alpha[/] (ridge): the coefficients shrink and the curve calms down."
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
                ("test / train", f"{result.test_mse / max(result.train_mse, 1e-12):.1f}×"),
                ("‖coef‖₂", f"{result.coef_l2_norm:.4g}"),
            ]
        )


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
    plt.xticks([1, 5, 10, 15, 20])
    plt.xlabel("polynomial degree")
