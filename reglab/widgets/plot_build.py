"""Building a chart's picture with plotext, on the chart builder's thread only.

Imported by that thread at its first build (``reglab.widgets.chart``), so plotext and
textual-plotext load after the first frame. Importing it makes plotext's output
deterministic and installs the faster drop-in helpers (``plotext_speedups``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import plotext._utility
from plotext._dict import themes as plotext_themes
from rich.text import Text
from textual.geometry import Size
from textual_plotext.plot import Plot, _rgbify_theme, _sequence

from reglab.errorlog import log_and_describe
from reglab.widgets import plotext_speedups

if TYPE_CHECKING:
    from reglab.widgets.chart import Chart, ChartTheme, Drawing


def _ordered_no_duplicates(data) -> list:
    return list(dict.fromkeys(data))


# plotext de-duplicates with list(set(...)), so the order of the ANSI codes it emits follows
# Python's per-process hash seed: the same chart came out differently from run to run.
# Same parameters must give the same picture (and snapshot), so keep first-seen order; it
# is the alternative plotext's own source leaves commented out beside that line.
plotext._utility.no_duplicates = _ordered_no_duplicates
plotext_speedups.install()

_remove_outsiders = plotext._utility.remove_outsiders
OFF_THE_MATRIX = -(10**9)  # a cell plotext's insert_element leaves alone (not ``legal``)


def _remove_outsiders_keeping_one(x, y, width, height, *other):
    """plotext's ``remove_outsiders``, except that a series none of whose points lies on
    the canvas keeps its first point, moved off the matrix, where nothing is drawn: the
    legend reads the colour of a labelled series' first points, and raised IndexError for
    one with none (a pinned run wholly outside the live run's limits: the key fuzzer)."""
    kept = _remove_outsiders(x, y, width, height, *other)
    if x and not kept[0]:
        return [OFF_THE_MATRIX], [OFF_THE_MATRIX], *([values[0]] for values in other)
    return kept


plotext._utility.remove_outsiders = _remove_outsiders_keeping_one

# Series colours for themes that use the terminal's palette (plotext's 16 colour names).
TERMINAL_SERIES = ["blue+", "green+", "red+", "magenta+", "cyan+", "yellow", "blue", "green"]


def register_theme(theme: ChartTheme) -> None:
    """plotext's theme for an app theme, readable in every one: textual-plotext's own
    ("auto": canvas and axes in the theme's surface and foreground). The ANSI themes leave
    colours to the terminal (a transparent surface), which textual-plotext turned into
    black on black; their charts use the terminal's own colours too: no codes for canvas
    and text, its palette for the series."""
    if theme.name in plotext_themes:
        return
    if theme.surface is None or theme.foreground is None:
        plotext_themes[theme.name] = ("default", "default", "default", "default", TERMINAL_SERIES)
    else:
        series: list[Any] = list(_sequence)  # textual-plotext's own, as it registers them
        plotext_themes[theme.name] = _rgbify_theme(
            theme.surface, theme.surface, theme.foreground, "default", series
        )


def build_picture(chart: Chart, drawing: Drawing) -> Text:
    """The chart as rich text; a drawing bug becomes a line in the chart, never a crash."""
    try:
        if chart.plt is None:
            chart.plt = Plot()
        plt = chart.plt
        register_theme(drawing.theme)
        plt.clear_figure()
        plt.title(drawing.title)
        size = Size(drawing.width, drawing.height)
        on_top = [late for overlay in drawing.overlays for late in overlay(plt, size) or ()]
        drawing.draw(plt, size)
        for late in on_top:
            late()
        # Size and theme after the drawing, in the order textual-plotext's own render uses:
        # series without a colour of their own take theirs from the default sequence.
        plt.plotsize(drawing.width, drawing.height)
        plt._set_size(drawing.width, drawing.height)
        plt.theme(drawing.theme.name)
        return plotext_speedups.picture(plt)  # Text.from_ansi(plt.build()), faster
    except Exception as error:  # noqa: BLE001 - one chart's bug must not end the session
        return Text(f"{drawing.title}\n\n✗ {log_and_describe('a chart', error)}")
