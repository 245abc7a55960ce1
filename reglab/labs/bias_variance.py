"""Tab 7 — bias-variance: the measured U curve and the mean fit at its best point."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.app import ComposeResult

from reglab.core.bias_variance.params import BiasVarianceParams
from reglab.widgets.axes import SERIES_MARKERS, decade_label, mark_line, roomy
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.bias_variance.compute import BiasVarianceResult

# Sampling error allowed between the measured expected error and the sum of its parts.
ADD_UP_SE = 3.0
# The curves' plotext colours, and the same ANSI colours as Rich markup: the numbers table
# doubles as the U chart's legend (a plotext legend would cover the simple models' end).
COLORS = {"bias2": "blue", "variance": "orange", "noise": "gray", "expected_mse": "red"}
PART_LABELS = {"bias2": "bias²", "expected_mse": "expected error"}
RICH_COLORS = {"blue": "blue", "orange": "yellow", "gray": "bright_black", "red": "red"}
# How complexity grows along each model's sweep, for the axis label.
AXIS_LABELS = {
    "alpha": "alpha (log scale) — less penalty, more complex →",
    "max_depth": "max_depth — deeper, more complex →",
    "k": "k neighbours — fewer, more complex →",
}


class BiasVariancePane(LabPane[BiasVarianceParams, "BiasVarianceResult"]):
    EXPLANATION = (
        "Curves, coloured as in Numbers: bias², how far the average of [b]rounds[/] fits is "
        "from the truth; variance, how much the fits disagree; noise, what no model removes. "
        "They add up to the expected error, the U; its best point is marked green. Try "
        "model=tree or knn, fewer n_train, more noise; mode=bootstrap is mlxtend's scheme."
    )
    # Tree sweeps take seconds: new parameters cancel the running sweep.
    CANCEL_RUNNING = True

    def compose_charts(self) -> ComposeResult:
        yield Chart("The U curve", id="u-chart")
        yield Chart("Fit at the best point", id="best-chart")

    def show_result(self, result: BiasVarianceResult) -> None:
        name = result.complexity_name
        u_chart = self.query_one("#u-chart", Chart)
        scale = " (log)" if u_log_scale(result) else ""
        u_chart.chart_title = f"The U curve: error parts{scale} against {name}"
        u_chart.show(lambda plt, size: draw_u_curve(plt, result, roomy(size)))
        best_chart = self.query_one("#best-chart", Chart)
        best = format_complexity(result.best["value"])
        if result.fit_at_best is not None:
            best_chart.chart_title = f"Mean fit ±1 std at {name}={best} vs truth"
            best_chart.show(lambda plt, size: draw_fit_at_best(plt, result, roomy(size)))
        else:
            best_chart.chart_title = f"Bias² (left) and variance (right) by {name}"
            best_chart.show(lambda plt, size: draw_two_scales(plt, result, roomy(size)))
        self.query_one(Metrics).show(metric_rows(result))


def swatch(part: str) -> str:
    return f"[{RICH_COLORS[COLORS[part]]}]━[/] "


def format_complexity(value: float | int | None) -> str:
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def best_index(result: BiasVarianceResult) -> int:
    return next(i for i, point in enumerate(result.points) if point == result.best)


def metric_rows(result: BiasVarianceResult) -> list[tuple[str, str]]:
    best = result.best
    parts = best["bias2"] + best["variance"] + best["noise"]
    expected = best["expected_mse"]
    se = result.expected_mse_se[best_index(result)]
    bootstrap = result.params.mode == "bootstrap"
    return [
        ("best", f"{result.complexity_name}={format_complexity(best['value'])}"),
        (swatch("bias2") + "bias²", f"{best['bias2']:.4g}"),
        (swatch("variance") + "variance", f"{best['variance']:.4g}"),
        # mlxtend's scheme measures bias² against the noisy targets: it holds the noise.
        (swatch("noise") + "noise", "in bias²" if bootstrap else f"{best['noise']:.4g}"),
        ("  sum", f"{parts:.4g}"),
        (swatch("expected_mse") + "expected", f"{expected:.4g}±{se:.2g}"),
        ("adds up", add_up_check(parts, expected, se)),
        ("fits", f"{len(result.points)} × {result.params.rounds}"),
    ]


def add_up_check(parts: float, expected: float, se: float) -> str:
    """Does bias² + variance + noise match the measured expected error?"""
    gap = parts - expected
    if abs(gap) <= 1e-9 * max(abs(expected), 1.0):
        return "✓ exactly"  # nothing sampled on top: bootstrap mode (mlxtend), or noise=0
    if se == 0:
        return f"✗ off {gap:+.2g}"
    sigmas = abs(gap) / se
    return f"{'✓' if sigmas <= ADD_UP_SE else '✗'} {sigmas:.1f} SE off"


def complexity_axis(result: BiasVarianceResult) -> tuple[list[float], list[float], list[str]]:
    """x positions (complexity growing to the right), tick positions and tick labels."""
    values = [point["value"] for point in result.points]
    if result.complexity_name == "alpha":
        # A smaller alpha is the more complex model: plot -log10(alpha), label alpha.
        xs = [-math.log10(v) for v in values]
        first, last = math.ceil(min(xs) - 1e-9), math.floor(max(xs) + 1e-9)
        step = max(1, math.ceil((last - first + 1) / 6))
        ticks = [float(t) for t in range(first, last + 1, step)]
        return xs, ticks, [decade_label(-int(t)) for t in ticks]
    if result.complexity_name == "k":
        xs = [-float(v) for v in values]
        return xs, xs, [str(v) for v in values]
    # Tree depth; unlimited depth ("none") sits two steps past the deepest limited tree.
    limited = [v for v in values if v is not None]
    unlimited_at = (max(limited) + 2) if limited else 1
    xs = [float(unlimited_at if v is None else v) for v in values]
    return xs, xs, [format_complexity(v) for v in values]


def _thin(items: list, most: int = 12) -> list:
    """Every k-th tick, so a long user sweep does not print labels over each other."""
    stride = max(1, math.ceil(len(items) / most))
    return items[::stride]


def u_parts(result: BiasVarianceResult) -> list[str]:
    """The U chart's curves in drawing order; noise first, as the flat floor that would hide
    the others if drawn later (bootstrap mode has none: it is inside bias²)."""
    parts = ["bias2", "variance", "expected_mse"]
    if any(p["noise"] for p in result.points):
        parts.insert(0, "noise")
    return parts


def u_log_scale(result: BiasVarianceResult) -> bool:
    return all(p[part] > 0 for p in result.points for part in u_parts(result))


def draw_u_curve(plt, result: BiasVarianceResult, roomy: bool = True) -> None:
    xs, ticks, labels = complexity_axis(result)
    points = result.points
    parts = u_parts(result)
    for number, part in enumerate(parts):
        values = [p[part] for p in points]
        plt.plot(xs, values, color=COLORS[part], marker="braille")
        label = PART_LABELS.get(part, part) if roomy else None
        mark_line(plt, xs, values, COLORS[part], SERIES_MARKERS[number % 4], label)
    best = best_index(result)
    mark_x(plt, xs[best], color="green")
    plt.scatter([xs[best]], [result.best["expected_mse"]], color="green", marker="●")
    # bias² falls by orders of magnitude while variance grows from a small start: on a log
    # axis both stay readable, and where they cross is the point of the picture.
    if u_log_scale(result):
        plt.yscale("log")
        values = [p[part] for p in points for part in parts]
        low, high = math.log10(min(values)), math.log10(max(values))
        # A short chart has about one row per decade: label every other one, or two labels
        # would land on one row.
        decades = range(math.floor(high), math.ceil(low) - 1, -1 if roomy else -2)
        if len(decades) >= 2:  # else plotext's own ticks say more
            plt.yticks([10.0**d for d in decades], [decade_label(d) for d in decades])
    plt.xticks(_thin(ticks), _thin(labels))
    if roomy:
        plt.xlabel(AXIS_LABELS[result.complexity_name])
        plt.ylabel("error")


def draw_fit_at_best(plt, result: BiasVarianceResult, roomy: bool = True) -> None:
    fit = result.fit_at_best
    assert fit is not None  # drawn only in simulate mode, which has a fit at the best point
    legend = (lambda text: text) if roomy else (lambda text: None)
    plt.plot(fit["x"], fit["high"], color="gray", marker="braille", label=legend("±1 std"))
    plt.plot(fit["x"], fit["low"], color="gray", marker="braille")
    plt.plot(fit["x"], fit["mean"], color="blue", marker="braille", label=legend("mean fit"))
    # The truth on top: where the mean fit shows through, that is the bias.
    plt.plot(fit["x"], fit["truth"], color="green", marker="braille", label=legend("truth"))
    low, high = min(fit["low"]), max(fit["high"])
    # Round ticks (the truth spans -1..1), not plotext's evenly cut data range.
    step = 0.5 if high - low < 4 else float(math.ceil((high - low) / 6))
    ticks = [step * i for i in range(math.ceil(low / step), math.floor(high / step) + 1)]
    plt.yticks(ticks, [f"{t:g}" for t in ticks])
    if roomy:
        # Headroom for the legend, which plotext draws in the top-left corner.
        plt.ylim(low, high + 0.6 * (high - low))
        plt.xlabel("x")
        plt.ylabel("y")


def draw_two_scales(plt, result: BiasVarianceResult, roomy: bool = True) -> None:
    """bias² and variance each on its own axis: in bootstrap mode bias² (which holds the
    noise) is so much larger that on one axis the variance would look flat."""
    xs, ticks, labels = complexity_axis(result)
    legend = (lambda text: text) if roomy else (lambda text: None)
    plt.plot(
        xs,
        [p["bias2"] for p in result.points],
        color=COLORS["bias2"],
        marker="braille",
        label=legend("bias² (left)"),
    )
    plt.plot(
        xs,
        [p["variance"] for p in result.points],
        color=COLORS["variance"],
        marker="braille",
        yside="right",
        label=legend("variance (right)"),
    )
    mark_x(plt, xs[best_index(result)], color="green")
    plt.xticks(_thin(ticks), _thin(labels))
    if roomy:
        plt.xlabel(AXIS_LABELS[result.complexity_name])
        plt.ylabel("bias²", yside="left")
        plt.ylabel("variance", yside="right")
