"""Tab 2 — penalties: fitted coefficients and the regularization path."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.app import ComposeResult

from reglab.core.penalties.params import PenaltiesParams
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.penalties.compute import PenaltiesResult


class PenaltiesPane(LabPane[PenaltiesParams, "PenaltiesResult"]):
    EXPLANATION = (
        "Bars: fitted coefficients beside the true ones. Lines: every coefficient as alpha "
        "grows (path), the current alpha marked. [b]lasso[/] drives weights to exactly zero; "
        "[b]ridge[/] only shrinks them; try dataset=correlated to see lasso pick one of a pair."
    )

    def compose_charts(self) -> ComposeResult:
        yield Chart("Coefficients", id="coef-chart")
        yield Chart("Regularization path", id="path-chart")

    def show_result(self, result: PenaltiesResult) -> None:
        self.query_one("#coef-chart", Chart).show(lambda plt: draw_coefficients(plt, result))
        self.query_one("#path-chart", Chart).show(lambda plt: draw_path(plt, result))
        rows = [
            ("non-zero", f"{result.n_nonzero} / {len(result.coef)}"),
            ("train MSE", f"{result.train_mse:.4g}"),
            (f"CV MSE ({result.params.folds}-fold)", f"{result.cv_mse:.4g}"),
            ("± std", f"{result.cv_mse_std:.3g}"),
        ]
        rows += [(row["model"], f"{row['cv_mse']:.4g}") for row in result.summary]
        self.query_one(Metrics).show(rows)


def draw_coefficients(plt, result: PenaltiesResult) -> None:
    positions = list(range(len(result.coef)))
    if result.true_coef is not None:
        plt.multiple_bar(
            positions,
            [result.coef, result.true_coef],
            labels=["fitted", "true"],
            color=["blue", "green"],
        )
    else:
        plt.bar(positions, result.coef, color="blue", label="fitted")
    plt.xticks(positions, [name[:8] for name in result.feature_names])
    plt.xlabel("feature")


def draw_path(plt, result: PenaltiesResult) -> None:
    log_alphas = [math.log10(a) for a in result.path["alphas"]]
    for coefs in result.path["coefs"]:
        plt.plot(log_alphas, coefs, marker="braille")
    mark_x(plt, math.log10(result.params.alpha), color="gray")
    plt.xlabel("log10 alpha")
