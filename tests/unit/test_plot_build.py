"""plotext as the chart builder uses it (``reglab.widgets.plot_build``)."""

from __future__ import annotations

from rich.text import Text
from textual_plotext.plot import Plot

import reglab.widgets.plot_build  # noqa: F401 - patches plotext as the builder's first build does


def test_a_labelled_series_wholly_off_the_canvas_keeps_its_legend_and_draws_nothing():
    """plotext raised IndexError in its legend for such a series (the key fuzzer found it:
    a pinned run outside the live run's limits)."""
    plt = Plot()
    plt.plot([0, 1], [0, 1], label="inside")
    plt.plot([0, 1], [50, 60], label="above", color="red")
    plt.ylim(-1, 2)
    plt.plotsize(40, 15)
    plt._set_size(40, 15)
    picture = Text.from_ansi(plt.build())
    assert "inside" in picture.plain and "above" in picture.plain
    red = {
        picture.plain[s.start : s.end]
        for s in picture.spans
        if str(s.style).startswith("color(1) ")
    }
    assert red == {"▞▞"}  # its legend marker, and not one point
