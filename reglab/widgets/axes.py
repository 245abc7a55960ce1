"""Axis helpers for plotext charts that must read at 80x24 as well as on a big screen.

plotext draws its legend over the top-left corner of the plot and picks tick values that
are rarely round; these helpers leave room for the legend (or drop it when the chart is too
short to spare the rows) and choose ticks a reader can use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.geometry import Size

if TYPE_CHECKING:
    from textual_plotext.plot import Plot

# Charts shorter than this (in rows) draw no legend: it would cover the lines it names.
LEGEND_MIN_HEIGHT = 12
# Rows of a chart that are not plot area: title, frame top and bottom, x ticks, x label.
PLOT_FRAME_ROWS = 5
# Charts at least this tall (content rows) have room for axis labels and annotations.
ROOMY_HEIGHT = 14
# Share of the plot height kept free above the data for a two-line legend.
LEGEND_HEADROOM = 0.3


def score_axis(plt: Plot, values: Sequence[float], height: int, yside: str | None = None) -> None:
    """A y axis for scores in [0, 1] (accuracy) on a chart ``height`` rows tall.

    Ticks lie only inside the data's range, so the headroom kept for the legend never
    shows a tick above the best score; there are no more of them than every other row can
    hold: two ticks that fall on one row made the picture differ from run to run.
    """
    low, high = min(values), max(values)
    span = max(high - low, 0.01)
    headroom = LEGEND_HEADROOM if height >= LEGEND_MIN_HEIGHT else 0.08
    # textual_plotext's stub types yside as a float; plotext takes "left"/"right".
    side: Any = yside
    plt.ylim(low - 0.05 * span, high + headroom * span, yside=side)
    plot_rows = height - PLOT_FRAME_ROWS
    count = max(2, min(5, plot_rows // 2 + 1)) if high > low else 1
    ticks = [low + k * (high - low) / max(count - 1, 1) for k in range(count)]
    plt.yticks(ticks, [f"{t:.3f}" for t in ticks], yside=side)


def nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``count`` ticks."""
    raw = max(span / count, 1e-12)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def integer_ticks(low: int, high: int, count: int = 4) -> list[int]:
    """Round integer ticks from ``low`` to ``high`` (stages, trees, coefficients)."""
    step = max(1, int(nice_step(high - low, count)))
    ticks = list(range((low + step - 1) // step * step, high + 1, step))
    return sorted({low, *[t for t in ticks if t - low >= step / 2], high})


def thin_ticks(
    ticks: Sequence[float], labels: Sequence[str], width: int, gap: int = 5
) -> tuple[list[float], list[str]]:
    """Every k-th of evenly spaced tick labels, so that neighbours stay ``gap`` columns apart
    on a chart ``width`` columns wide; the last one (e.g. ``none``) is always kept."""
    plot_width = max(width - 12, 10)  # minus the y tick labels and the frame
    k = max(1, math.ceil(len(ticks) * gap / plot_width))
    keep = [i for i in range(len(ticks)) if (len(ticks) - 1 - i) % k == 0]
    return [ticks[i] for i in keep], [labels[i] for i in keep]


def roomy(size: Size) -> bool:
    """A chart of ``size`` is tall enough for a legend, axis labels and annotations (not in an
    80x24 terminal)."""
    return size.height >= ROOMY_HEIGHT


def decade_label(exponent: int) -> str:
    """A tick label for 10**exponent: plain for everyday values, 1eN beyond them."""
    if -2 <= exponent <= 3:
        return f"{10.0**exponent:g}"
    return f"1e{exponent}"


def short(value: float) -> str:
    """A grid end in a few characters: 0.0066, 130, 1e-4, 2e4."""
    if not 1e-3 <= value < 1e4:
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.0f}" if value >= 10 else f"{value:.2g}"


def log_alpha_ticks(alphas: list[float]) -> tuple[list[float], list[str]]:
    """x ticks for log10(alpha): whole decades labelled as alphas, or, when the grid spans
    less than two decades, the grid's own alphas."""
    log_alphas = [math.log10(a) for a in alphas]
    first, last = math.ceil(min(log_alphas) - 1e-9), math.floor(max(log_alphas) + 1e-9)
    if last - first < 1:
        stride = max(1, math.ceil(len(alphas) / 7))
        return log_alphas[::stride], [short(a) for a in alphas[::stride]]
    step = max(1, math.ceil((last - first + 1) / 7))
    ticks = list(range(first, last + 1, step))
    return [float(t) for t in ticks], [decade_label(t) for t in ticks]


# Marker shapes for the series of one chart, in order: lines differ by shape, not colour alone.
SERIES_MARKERS = ("●", "◆", "▲", "■")


def mark_line(
    plt: Plot,
    xs: Sequence[float],
    ys: Sequence[float],
    color: str,
    marker: str,
    label: str | None = None,
    yside: str | None = None,
    count: int = 7,
) -> None:
    """Markers at about ``count`` evenly spaced points of a line already drawn, carrying its
    legend entry: the legend then shows each series' shape as well as its colour."""
    step = max(1, len(xs) // count)
    picked = list(range(0, len(xs), step))
    side: Any = yside
    plt.scatter(
        [xs[i] for i in picked],
        [ys[i] for i in picked],
        color=color,
        marker=marker,
        label=label,
        yside=side,
    )


def std_band(
    plt: Plot, xs: Sequence[float], values: Sequence[float], spread: Sequence[float], color: str
) -> list[float]:
    """A dim band of ±1 standard deviation around ``values``, drawn before their line; its
    upper then lower edge's values, for the y axis to take in."""
    upper = [v + s for v, s in zip(values, spread, strict=True)]
    lower = [v - s for v, s in zip(values, spread, strict=True)]
    for band in (upper, lower):
        plt.plot(xs, band, color=color, style="dim", marker="braille")
    return [*upper, *lower]
