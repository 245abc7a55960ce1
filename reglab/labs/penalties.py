"""Tab 2 — penalties: fitted coefficients and the regularization path."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size

from reglab.core.penalties.params import PenaltiesParams
from reglab.widgets.axes import PLOT_FRAME_ROWS
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.penalties.compute import PenaltiesResult


class PenaltiesPane(LabPane[PenaltiesParams, "PenaltiesResult"]):
    EXPLANATION = (
        "Bars: fitted beside true coefficients. Lines: each coefficient against alpha, the "
        "current one marked. [b]lasso[/] zeroes weights, [b]ridge[/] only shrinks them "
        "(dataset=correlated: lasso keeps one of a pair). [b]v[/]: two coefficients' plane — "
        "loss ellipses first touch the L1 diamond at a corner (a zero), the L2 circle anywhere."
    )
    BINDINGS = [
        Binding(
            "v",
            "toggle_geometry",
            "geometry",
            tooltip="Toggle the coefficients chart and the L1/L2 geometry of two coefficients",
            id="penalties.toggle-geometry",
        ),
    ]
    DEFAULT_CSS = """
    PenaltiesPane #geometry-chart {
        display: none;
    }
    PenaltiesPane.-geometry #geometry-chart {
        display: block;
    }
    PenaltiesPane.-geometry #coef-chart {
        display: none;
    }
    """

    def compose_charts(self) -> ComposeResult:
        yield Chart("Coefficients", id="coef-chart")
        yield Chart("Geometry", id="geometry-chart")
        yield Chart("Regularization path", id="path-chart")

    @property
    def showing_geometry(self) -> bool:
        return self.has_class("-geometry")

    def action_toggle_geometry(self) -> None:
        self.toggle_class("-geometry")

    def on_resize(self, event: events.Resize) -> None:
        if self.built:
            self.fit_geometry_height()

    def fit_geometry_height(self) -> None:
        """The plane needs rows (with equal axes a short chart is a thin strip), but a short
        screen has none to spare from the path chart. Inline: the app's stylesheet sets
        every chart's height and outranks DEFAULT_CSS."""
        tall = self.app.size.height >= TALL_SCREEN_ROWS
        self.query_one("#geometry-chart", Chart).styles.height = "2fr" if tall else "1fr"

    def show_result(self, result: PenaltiesResult) -> None:
        self.query_one("#coef-chart", Chart).show(lambda plt: draw_coefficients(plt, result))
        self.fit_geometry_height()
        geometry_chart = self.query_one("#geometry-chart", Chart)
        geometry_chart.chart_title = geometry_title(result)
        geometry_chart.show(lambda plt: draw_geometry(plt, result, geometry_chart.size))
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


# Columns of a chart that are not plot area (y tick labels and the frame), roughly.
PLOT_FRAME_COLUMNS = 10
# A terminal cell is about twice as tall as it is wide.
CELL_ASPECT = 2.0
CURVE_POINTS = 120
# Screens at least this many rows tall give the geometry chart twice the path chart's rows
# (the app's -tall breakpoint).
TALL_SCREEN_ROWS = 32


def geometry_title(result: PenaltiesResult, width: int | None = None) -> str:
    plane = result.geometry
    if plane is None:
        return "Geometry: needs at least two features"
    first, second = plane["names"]
    key = f"{first} × {second}, others fixed · ● fit  • path over alpha  + least squares"
    # plotext drops a title wider than the chart: say less on a narrow one.
    return key if width is None or len(key) < width else f"{first} × {second} · ● fit • path"


def draw_geometry(plt, result: PenaltiesResult, size: Size) -> None:
    """Loss ellipses (the one through the fit in orange), the L1 diamond (blue) and/or L2
    circle (cyan) through the fit, the solution and its path over alpha, on axes scaled so
    a circle looks round. No legend: it would cover the corner the picture is about."""
    plt.title(geometry_title(result, size.width))
    plane = result.geometry
    if plane is None:
        return
    model = result.params.model
    contours = plane["contours"]
    center = contours["center"]
    path_x = [step["w_i"] for step in plane["path"]]
    path_y = [step["w_j"] for step in plane["path"]]
    xs, ys = [0.0, center[0], *path_x], [0.0, center[1], *path_y]
    for level in contours["levels"]:
        touching = math.isclose(level, contours["touching"], rel_tol=1e-9)
        ex, ey = ellipse(contours, level)
        plt.plot(
            ex,
            ey,
            marker="braille",
            color="orange" if touching else "gray",
        )
    if model in ("lasso", "elasticnet"):
        r = plane["radius_l1"]
        plt.plot(
            [r, 0, -r, 0, r],
            [0, r, 0, -r, 0],
            marker="braille",
            color="blue",
        )
        xs, ys = [*xs, r, -r], [*ys, r, -r]
    if model in ("ridge", "elasticnet"):
        r = plane["radius_l2"]
        turns = [2 * math.pi * k / CURVE_POINTS for k in range(CURVE_POINTS + 1)]
        plt.plot(
            [r * math.cos(t) for t in turns],
            [r * math.sin(t) for t in turns],
            marker="braille",
            color="cyan",
        )
        xs, ys = [*xs, r, -r], [*ys, r, -r]
    plt.plot(path_x, path_y, marker="dot", color="green")
    solution = plane["solution"]
    plt.scatter([solution[0]], [solution[1]], marker="●", color="red")
    plt.scatter([center[0]], [center[1]], marker="+", color="orange")
    plt.hline(0, "gray")
    plt.vline(0, "gray")
    square_limits(plt, xs, ys, size)
    first, second = plane["names"]
    plt.xlabel(f"w {first} →")
    plt.ylabel(f"↑ w {second}")


def ellipse(contours: dict, level: float) -> tuple[list[float], list[float]]:
    """The points where ``½ (w - c)ᵀ H (w - c) = level - min_loss``."""
    excess = max(level - contours["min_loss"], 0.0)
    (a, b), (_, d) = contours["hessian"]
    # Eigen-decomposition of the symmetric 2 x 2 Hessian, by hand (no numpy in the panes).
    mean, half_gap = (a + d) / 2, math.hypot((a - d) / 2, b)
    angle = 0.5 * math.atan2(2 * b, a - d)
    radii = [
        math.sqrt(2 * excess / max(value, 1e-12 * max(mean, 1e-300)))
        for value in (mean + half_gap, mean - half_gap)
    ]
    cx, cy = contours["center"]
    cos, sin = math.cos(angle), math.sin(angle)
    xs, ys = [], []
    for k in range(CURVE_POINTS + 1):
        t = 2 * math.pi * k / CURVE_POINTS
        u, v = radii[0] * math.cos(t), radii[1] * math.sin(t)
        xs.append(cx + cos * u - sin * v)
        ys.append(cy + sin * u + cos * v)
    return xs, ys


def square_limits(plt, xs: list[float], ys: list[float], size: Size) -> None:
    """Limits around the points with one data unit as long across as up (a circle is round)."""
    x_mid, y_mid = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = 0.55 * max(max(xs) - min(xs), max(ys) - min(ys), 1e-12)
    width = max(size.width - PLOT_FRAME_COLUMNS, 1)
    height = max(size.height - PLOT_FRAME_ROWS, 1) * CELL_ASPECT
    x_half, y_half = half * max(1.0, width / height), half * max(1.0, height / width)
    plt.xlim(x_mid - x_half, x_mid + x_half)
    plt.ylim(y_mid - y_half, y_mid + y_half)
