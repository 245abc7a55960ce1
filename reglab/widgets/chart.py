"""A textual-plotext chart that redraws from a stored drawing function.

Labs hand the chart a function ``draw(plt)`` built from a result; the chart calls it on the
UI thread whenever it renders (plotext keeps state, so it must never be driven from a
worker thread). Until the first result arrives the chart says it is waiting.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import plotext._utility
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

Draw = Callable[[Plot], None]


def _ordered_no_duplicates(data) -> list:
    return list(dict.fromkeys(data))


# plotext de-duplicates with list(set(...)), so the order of the ANSI codes it emits follows
# Python's per-process hash seed: the same chart came out differently from run to run.
# Same parameters must give the same picture (and snapshot), so keep first-seen order; it
# is the alternative plotext's own source leaves commented out beside that line.
plotext._utility.no_duplicates = _ordered_no_duplicates


class Chart(PlotextPlot):
    """One plotext figure; ``show(draw)`` replaces what it draws."""

    def __init__(self, title: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.chart_title = title
        self._draw: Draw | None = None

    def show(self, draw: Draw) -> None:
        self._draw = draw
        self.refresh()

    def render(self):
        if self._draw is None:
            # No plotext build before the first result: it keeps first paint cheap.
            return f"{self.chart_title}\n\ncomputing…"
        plt = self.plt
        plt.clear_figure()
        plt.title(self.chart_title)
        self._draw(plt)
        return super().render()


def mark_x(plt: Plot, x: float, color: str = "red") -> None:
    """A vertical marker line at ``x`` (the chosen alpha, the early-stopping epoch, ...)."""
    plt.vline(x, color)


def learning_rows(curve: dict, name: str) -> list[tuple[float, float, float]]:
    """(size, mean, std) of one series ("train" or "test") of a result's ``learning_curve``,
    finite ones only (a size whose fits failed, e.g. on one class, is NaN)."""
    return [
        (size, mean, std)
        for size, mean, std in zip(
            curve["train_sizes"], curve[f"{name}_mean"], curve[f"{name}_std"], strict=True
        )
        if math.isfinite(mean) and math.isfinite(std)
    ]
