"""Faster drop-in versions of the plotext steps that dominate a chart's build.

Profiled on the penalties lab's regularization path (20 lines of 100 points in braille):
``hd_group`` (grouping dots into braille cells) took 46 % of the build and ``get_lines``
(filling in the dots between points) 21 %, mostly in per-point function calls and list
copies. These versions do the same arithmetic in one loop each and give identical output,
which ``tests/unit/test_plotext_speedups.py`` checks against plotext's own functions on
random data and on every lab's charts. Anything unusual (markers of mixed resolution, no
marker or colour lists) goes to plotext's own code.

The picture itself: plotext writes its cell matrix out as one ANSI string, a code at every
change of colour, and ``Text.from_ansi`` parsed it back into spans: half of the penalties
coefficient chart's build (profiled: 8.5 of 16.6 ms). ``picture`` reads the same runs
straight off the matrix, and parses each distinct colour code once (5.8 -> 3.5 ms).
"""

from __future__ import annotations

import math
from operator import itemgetter
from typing import Any

import plotext._build
import plotext._utility as plotext_utility
from rich.ansi import AnsiDecoder
from rich.style import Style
from rich.text import Text

original_get_lines = plotext_utility.get_lines
original_hd_group = plotext_utility.hd_group
numerical = plotext_utility.numerical


def get_lines(x, y, *other):
    """The points of the lines between consecutive points (x[i], y[i]), with the marker,
    colour and style of each segment's first point, as plotext's ``get_lines``."""
    if not other or not x:
        return original_get_lines(x, y, *other)
    line_x, line_y, owner = [], [], []
    for n in range(len(x) - 1):
        x0, x1, y0, y1 = x[n], x[n + 1], y[n], y[n + 1]
        if not (numerical(x0) and numerical(x1) and numerical(y0) and numerical(y1)):
            line_x.append(x0)
            line_y.append(y0)
            owner.append(n)
            continue
        steps = int(max(abs(int(x1) - int(x0)), abs(int(y1) - int(y0))) + 1)
        if steps > 1:  # plotext's linspace(x0, x1, steps) without its last point
            x_slope, y_slope = (x1 - x0) / (steps - 1), (y1 - y0) / (steps - 1)
            line_x.extend(int(x0 + k * x_slope) for k in range(steps - 1))
            line_y.extend(int(y0 + k * y_slope) for k in range(steps - 1))
            owner.extend([n] * (steps - 1))
    line_x.append(x[-1])
    line_y.append(y[-1])
    owner.append(len(x) - 1)
    return [line_x, line_y, *([values[i] for i in owner] for values in other)]


def hd_group(x, y, xf, yf):
    """Dots grouped into cells of xf x yf dots: each cell's position and its dot pattern
    (rows from the bottom up), as plotext's ``hd_group``."""
    width, height = xf[0], yf[0]
    if width * height < 2 or any(f != width for f in xf) or any(f != height for f in yf):
        return original_hd_group(x, y, xf, yf)
    cells: dict = {}
    for xi, yi in zip(x, y, strict=True):
        # Canvas coordinates are ints by now; plotext's own test covers None and NaN.
        x_number = type(xi) is int or numerical(xi)
        y_number = type(yi) is int or numerical(yi)
        cell = (xi // width if x_number else xi, yi // height if y_number else yi)
        dots = cells.get(cell)
        if dots is None:
            dots = cells[cell] = [0] * (width * height)
        if x_number and y_number and numerical(cell[0]) and numerical(cell[1]):
            dots[math.floor(yi % height) * width + math.floor(xi % width)] = 1
    bottom_up = itemgetter(
        *(row * width + column for row in reversed(range(height)) for column in range(width))
    )
    patterns = [bottom_up(dots) for dots in cells.values()]
    return [cell[0] for cell in cells], [cell[1] for cell in cells], patterns


def install() -> None:
    """Use the faster versions in plotext's chart building (``_build`` calls them as
    ``ut.get_lines`` and ``ut.hd_group`` through the utility module)."""
    assert plotext._build.ut is plotext_utility
    plotext_utility.get_lines = get_lines
    plotext_utility.hd_group = hd_group


_styles: dict[str, str | Style | None] = {}  # an ANSI colour code -> rich's style for it


def _style(code: str) -> str | Style | None:
    if code not in _styles:
        spans = AnsiDecoder().decode_line(f"{code}x{plotext_utility.ansi_end}").spans
        _styles[code] = spans[0].style if spans else None
    return _styles[code]


def picture(plot: Any) -> Text:
    """``Text.from_ansi(plot.build())``: the same text and spans, read off plotext's matrix.
    A run of cells of one colour (fullground, style, background) is one span, as
    ``set_canvas`` writes one code for it and ``from_ansi`` makes one span of it."""
    plot._set_sizes()
    plot._build_matrix()
    matrix = plot.monitor.matrix
    if plot.monitor.fast_plot:  # plotext made the canvas its own way
        return Text.from_ansi(matrix.get_canvas())
    colors_to_ansi = plotext_utility.colors_to_ansi
    text = Text()
    for row in reversed(matrix.Rows):  # top row first, each ending in a newline
        markers = matrix.marker[row]
        cells = list(
            zip(matrix.fullground[row], matrix.style[row], matrix.background[row], strict=True)
        )
        start = 0
        for col in range(1, len(cells) + 1):
            if col == len(cells) or cells[col] != cells[start]:
                code = colors_to_ansi(*cells[start])
                text.append("".join(markers[start:col]), _style(code) if code else None)
                start = col
        text.append("\n")
    return text
