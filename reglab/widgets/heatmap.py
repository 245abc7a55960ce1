"""A small heat map: a grid of numbers on colored cells, the best cell marked.

plotext has no usable heat map, so this is a Rich table: one row per value of the first
axis, one column per value of the second, each cell's background on a viridis-like scale
from the lowest to the highest value shown. The number stays printed in every cell, so the
picture reads without color (over SSH, in an SVG, for color-blind users).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.color import Color
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

# Viridis at five stops: dark (low) to bright (high).
SCALE: tuple[tuple[int, int, int], ...] = (
    (68, 1, 84),
    (59, 82, 139),
    (33, 145, 140),
    (94, 201, 98),
    (253, 231, 37),
)
BEST_MARK = "◆"


def scale_color(fraction: float) -> tuple[int, int, int]:
    """The color at ``fraction`` (0..1) along SCALE, linearly between its stops."""
    fraction = min(max(fraction, 0.0), 1.0) * (len(SCALE) - 1)
    low = min(int(fraction), len(SCALE) - 2)
    t = fraction - low
    a, b = SCALE[low], SCALE[low + 1]
    red, green, blue = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return red, green, blue


def cell_style(fraction: float) -> Style:
    r, g, b = scale_color(fraction)
    # Dark text on the bright end of the scale, light text on the dark end.
    luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255
    text = Color.from_rgb(0, 0, 0) if luminance > 0.5 else Color.from_rgb(255, 255, 255)
    return Style(color=text, bgcolor=Color.from_rgb(r, g, b))


class HeatMap(Static):
    """``show(...)`` draws a grid of values; until then it says it is waiting."""

    DEFAULT_CSS = """
    HeatMap {
        width: auto;
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, title: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(f"{title}\n\ncomputing…", id=id, classes=classes)
        self.map_title = title
        # (row, column) of the marked cell, for tests and for whoever reads the picture.
        self.best: tuple[int, int] | None = None

    def waiting(self, text: str = "computing…") -> None:
        self.best = None
        self.update(f"{self.map_title}\n\n{text}")

    def show(
        self,
        rows: Sequence[str],
        columns: Sequence[str],
        values: Sequence[Sequence[float]],
        *,
        corner: str = "",
        best: tuple[int, int] | None = None,
        fmt: str = "{:.3f}",
        caption: str = "",
    ) -> None:
        """``values[i][j]`` belongs to ``rows[i]`` and ``columns[j]``; ``best`` is marked."""
        self.best = best
        flat = [v for row in values for v in row]
        low, high = min(flat), max(flat)
        span = high - low
        table = Table(
            title=self.map_title,
            title_style="bold",
            box=None,
            padding=(0, 0),
            pad_edge=False,
            show_edge=False,
            collapse_padding=True,
        )
        table.add_column(corner, justify="right", style="bold", no_wrap=True)
        for column in columns:
            table.add_column(column, justify="center", no_wrap=True, header_style="bold")
        for i, (label, row) in enumerate(zip(rows, values, strict=True)):
            cells = []
            for j, value in enumerate(row):
                fraction = (value - low) / span if span > 0 else 0.5
                marked = (i, j) == best
                mark = BEST_MARK if marked else " "
                style = cell_style(fraction) + Style(bold=marked)
                cells.append(Text(f"{mark}{fmt.format(value)} ", style=style))
            table.add_row(f"{label} ", *cells)
        legend = Text()
        legend.append(f"{fmt.format(low)} ")
        for k in range(8):
            legend.append("  ", style=Style(bgcolor=Color.from_rgb(*scale_color(k / 7))))
        legend.append(f" {fmt.format(high)}")
        if best is not None:
            legend.append(f"   {BEST_MARK} best", style="bold")
        parts: list[RenderableType] = [table, legend]
        if caption:
            parts.append(Text(caption, style="dim"))
        self.update(Group(*parts))
