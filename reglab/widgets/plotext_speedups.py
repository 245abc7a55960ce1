"""Faster drop-in versions of the two plotext helpers that dominate a line chart's build.

Profiled on the penalties lab's regularization path (20 lines of 100 points in braille):
``hd_group`` (grouping dots into braille cells) took 46 % of the build and ``get_lines``
(filling in the dots between points) 21 %, mostly in per-point function calls and list
copies. These versions do the same arithmetic in one loop each and give identical output,
which ``tests/unit/test_plotext_speedups.py`` checks against plotext's own functions on
random data and on every lab's charts. Anything unusual (markers of mixed resolution, no
marker or colour lists) goes to plotext's own code.
"""

from __future__ import annotations

import math
from operator import itemgetter

import plotext._build
import plotext._utility as plotext_utility

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
