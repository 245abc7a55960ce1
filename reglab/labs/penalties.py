"""Tab 2 — penalties: fitted coefficients and the regularization path."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size

from reglab.core.catalog import CSV
from reglab.core.notes import cache_with_warnings
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

    # Read by the job's thread when it starts: the plane costs a third of a key's
    # computation, so it is computed only while its chart is shown.
    geometry_wanted = False

    @property
    def showing_geometry(self) -> bool:
        return self.has_class("-geometry")

    def action_toggle_geometry(self) -> None:
        self.toggle_class("-geometry")
        self.geometry_wanted = self.showing_geometry
        if self.geometry_wanted and self.result is not None and lacks_geometry(self.result):
            self.refit()  # the chart says "computing the plane…" until it comes

    def present(self, result: PenaltiesResult) -> None:
        super().present(result)
        # Here, not in show_result, which also draws every pin: a pin taken while the plane
        # was hidden lacks it for good, and asking again for each of its draws refitted
        # without end once the plane showed.
        if self.showing_geometry and lacks_geometry(result):
            self.refit()  # this time with the plane (geometry_wanted is set)

    def compute(self, params: PenaltiesParams, progress, cancelled) -> PenaltiesResult:
        wanted = self.geometry_wanted  # once: the cache key and the run must agree
        if params.dataset == CSV:  # a file can change, and a large one wants progress
            from reglab.core.penalties.compute import run  # the job's thread: sklearn loaded

            return run(params, progress, cancelled, with_geometry=wanted)
        return cached_run(params.effective(), wanted)

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
        self.query_one("#coef-chart", Chart).show(lambda plt, _size: draw_coefficients(plt, result))
        self.fit_geometry_height()
        geometry_chart = self.query_one("#geometry-chart", Chart)
        if lacks_geometry(result):  # computed while the chart was hidden
            geometry_chart.chart_title = "Geometry"
            geometry_chart.show(lambda plt, _size: plt.xlabel("computing the plane…"))
        else:
            geometry_chart.chart_title = geometry_title(result)
            geometry_chart.show(lambda plt, size: draw_geometry(plt, result, size))
        self.query_one("#path-chart", Chart).show(lambda plt, _size: draw_path(plt, result))
        rows = [
            ("non-zero", f"{result.n_nonzero} / {len(result.coef)}"),
            ("train MSE", f"{result.train_mse:.4g}"),
            (f"CV MSE ({result.params.folds}-fold)", f"{result.cv_mse:.4g}"),
            ("± std", f"{result.cv_mse_std:.3g}"),
        ]
        rows += [(row["model"], f"{row['cv_mse']:.4g}") for row in result.summary]
        self.query_one(Metrics).show(rows)


@cache_with_warnings(maxsize=32)
def cached_run(params: PenaltiesParams, with_geometry: bool) -> PenaltiesResult:
    """Results of the built-in data sets by parameters: stepping a knob back and forth (the
    arrow keys' usual rhythm) shows a result seen a moment ago without computing it again.
    The same parameters give the same numbers, and the warnings come back with each hit."""
    from reglab.core.penalties.compute import run  # the job's thread: sklearn is loaded

    return run(params, with_geometry=with_geometry)


def lacks_geometry(result: PenaltiesResult) -> bool:
    """The plane was skipped (``with_geometry=False``): data of one feature have none."""
    return result.geometry is None and len(result.feature_names) >= 2


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
    plt.ylabel("coefficient")


# The path's lines named at their weak-penalty ends: the largest this many.
NAMED_PATHS = 5


def draw_path(plt, result: PenaltiesResult) -> None:
    log_alphas = [math.log10(a) for a in result.path["alphas"]]
    for coefs in result.path["coefs"]:
        plt.plot(log_alphas, coefs, marker="braille")
    # Twenty lines take the colours round more than once: the largest are named near where
    # they end (the weakest penalty, left), which a legend of twenty could not do; a little
    # inside, clear of the legend's corner.
    at = len(log_alphas) - 1 - len(log_alphas) // 6
    ends = [coefs[at] for coefs in result.path["coefs"]]
    largest = sorted(range(len(ends)), key=lambda i: -abs(ends[i]))[:NAMED_PATHS]
    for i in largest:
        plt.text(result.feature_names[i], x=log_alphas[at], y=ends[i], alignment="center")
    mark_x(plt, math.log10(result.params.alpha), color="gray")
    plt.xlabel("log10 alpha")
    plt.ylabel("coefficient")


# Columns of a chart that are not plot area (y tick labels and the frame), roughly.
PLOT_FRAME_COLUMNS = 10
# A terminal cell is about twice as tall as it is wide.
CELL_ASPECT = 2.0
CURVE_POINTS = 120
# Ellipses may reach far out of the view (only their clipped parts are drawn): more points.
ELLIPSE_POINTS = 480
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
    l1, l2 = model in ("lasso", "elasticnet"), model in ("ridge", "elasticnet")
    radius = max(plane["radius_l1"] if l1 else 0.0, plane["radius_l2"] if l2 else 0.0)
    box = square_limits(
        [0.0, center[0], *path_x, radius, -radius], [0.0, center[1], *path_y, radius, -radius], size
    )
    for level in contours["levels"]:
        touching = math.isclose(level, contours["touching"], rel_tol=1e-9)
        curve = ellipse(contours, level, cap=10 * (box[1] - box[0] + box[3] - box[2]))
        plot_clipped(plt, curve, box, "orange" if touching else "gray")
    if l1:
        r = plane["radius_l1"]
        plt.plot([r, 0, -r, 0, r], [0, r, 0, -r, 0], marker="braille", color="blue")
    if l2:
        r = plane["radius_l2"]
        turns = [2 * math.pi * k / CURVE_POINTS for k in range(CURVE_POINTS + 1)]
        circle_x, circle_y = [r * math.cos(t) for t in turns], [r * math.sin(t) for t in turns]
        plt.plot(circle_x, circle_y, marker="braille", color="cyan")
    plt.plot(path_x, path_y, marker="dot", color="green")
    plt.scatter([center[0]], [center[1]], marker="+", color="orange")
    solution = plane["solution"]  # last: on top of the centre when the penalty is weak
    plt.scatter([solution[0]], [solution[1]], marker="●", color="red")
    plt.hline(0, "gray")
    plt.vline(0, "gray")
    plt.xlim(box[0], box[1])
    plt.ylim(box[2], box[3])
    first, second = plane["names"]
    plt.xlabel(f"w {first} →")
    plt.ylabel(f"↑ w {second}")


Box = tuple[float, float, float, float]  # x low, x high, y low, y high
Curve = list[tuple[float, float]]


def ellipse(contours: dict, level: float, cap: float) -> Curve:
    """The points where ``½ (w - c)ᵀ H (w - c) = level - min_loss``; semi-axes longer than
    ``cap`` (a nearly flat direction: two near-duplicate features) are cut to ``cap``, which
    looks the same inside the view."""
    excess = max(level - contours["min_loss"], 0.0)
    (a, b), (_, d) = contours["hessian"]
    # Eigen-decomposition of the symmetric 2 x 2 Hessian, by hand (no numpy in the panes).
    mean, half_gap = (a + d) / 2, math.hypot((a - d) / 2, b)
    angle = 0.5 * math.atan2(2 * b, a - d)
    radii = [
        min(math.sqrt(2 * excess / value), cap) if value > 0 else cap
        for value in (mean + half_gap, mean - half_gap)
    ]
    cx, cy = contours["center"]
    cos, sin = math.cos(angle), math.sin(angle)
    points = []
    for k in range(ELLIPSE_POINTS + 1):
        t = 2 * math.pi * k / ELLIPSE_POINTS
        u, v = radii[0] * math.cos(t), radii[1] * math.sin(t)
        points.append((cx + cos * u - sin * v, cy + sin * u + cos * v))
    return points


def plot_clipped(plt, curve: Curve, box: Box, color: str) -> None:
    """Draw the parts of ``curve`` inside ``box``: plotext fills in every dot of a line, so a
    segment reaching far outside the view would cost time for nothing."""
    run: Curve = []
    for start, end in zip(curve, curve[1:], strict=False):
        clipped = clip_segment(start, end, box)
        if clipped is None:
            flush(plt, run, color)
            run = []
            continue
        if not run or run[-1] != clipped[0]:
            flush(plt, run, color)
            run = [clipped[0]]
        run.append(clipped[1])
    flush(plt, run, color)


def flush(plt, run: Curve, color: str) -> None:
    if len(run) > 1:
        plt.plot([x for x, _ in run], [y for _, y in run], marker="braille", color=color)


def clip_segment(
    start: tuple[float, float], end: tuple[float, float], box: Box
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The part of the segment inside ``box`` (Liang–Barsky), or ``None``."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[1] - x0), (-dy, y0 - box[2]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    inside_start = start if low == 0 else (x0 + low * dx, y0 + low * dy)
    inside_end = end if high == 1 else (x0 + high * dx, y0 + high * dy)
    return inside_start, inside_end


def square_limits(xs: list[float], ys: list[float], size: Size) -> Box:
    """Limits around the points with one data unit as long across as up (a circle is round)."""
    x_mid, y_mid = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = 0.55 * max(max(xs) - min(xs), max(ys) - min(ys), 1e-12)
    width = max(size.width - PLOT_FRAME_COLUMNS, 1)
    height = max(size.height - PLOT_FRAME_ROWS, 1) * CELL_ASPECT
    x_half, y_half = half * max(1.0, width / height), half * max(1.0, height / width)
    return x_mid - x_half, x_mid + x_half, y_mid - y_half, y_mid + y_half
