"""The faster plotext helpers give exactly plotext's own output."""

from __future__ import annotations

import math
import random

import pytest
from rich.text import Text
from textual_plotext.plot import Plot

from reglab.widgets import plotext_speedups as speedups

NOT_A_NUMBER = [None, math.nan]


def points(rng: random.Random, count: int, gaps: bool) -> list:
    values: list = [rng.randint(-5, 120) for _ in range(count)]
    if gaps:
        for index in rng.sample(range(count), k=count // 10):
            values[index] = rng.choice(NOT_A_NUMBER)
    return values


@pytest.mark.parametrize("seed", range(40))
def test_get_lines_equals_plotexts(seed):
    rng = random.Random(seed)
    count = rng.randint(1, 60)
    x, y = points(rng, count, gaps=seed % 2 == 0), points(rng, count, gaps=seed % 3 == 0)
    other = ([rng.choice("⠁•x") for _ in range(count)], list(range(count)), ["bold"] * count)
    assert speedups.get_lines(x, y, *other) == speedups.original_get_lines(x, y, *other)


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("factors", [(2, 4), (2, 2), (2, 3)])
def test_hd_group_equals_plotexts(seed, factors):
    rng = random.Random(seed)
    count = rng.randint(1, 300)
    x, y = points(rng, count, gaps=seed % 2 == 0), points(rng, count, gaps=seed % 3 == 0)
    xf, yf = [factors[0]] * count, [factors[1]] * count
    ours = speedups.hd_group(x, y, xf, yf)
    theirs = speedups.original_hd_group(x, y, xf, yf)
    assert [list(part) for part in ours] == [list(part) for part in theirs]


def build(draw) -> str:
    plt = Plot()
    plt.plotsize(90, 20)
    draw(plt)
    return plt.build()


def test_whole_charts_are_the_same_with_and_without_the_speedups(monkeypatch):
    from reglab.core.penalties.compute import run
    from reglab.core.penalties.params import PenaltiesParams
    from reglab.labs.penalties import draw_coefficients, draw_path

    result = run(PenaltiesParams())
    rng = random.Random(0)
    scatter_x = [rng.uniform(0, 1) for _ in range(200)]
    scatter_y = [rng.gauss(0, 1) for _ in range(200)]
    drawings = [
        lambda plt: draw_path(plt, result),
        lambda plt: draw_coefficients(plt, result),
        lambda plt: plt.scatter(scatter_x, scatter_y, marker="braille"),
        lambda plt: plt.plot(scatter_x, scatter_y, marker="hd"),
        lambda plt: plt.plot([1, 2, None, 4, 5], [3, 1, 2, math.nan, 0], marker="fhd"),
    ]
    speedups.install()
    fast = [build(draw) for draw in drawings]
    monkeypatch.setattr(speedups.plotext_utility, "get_lines", speedups.original_get_lines)
    monkeypatch.setattr(speedups.plotext_utility, "hd_group", speedups.original_hd_group)
    assert fast == [build(draw) for draw in drawings]


def themed(draw, theme: str):
    """A plot drawn as the charts draw: the reglab theme registered, size and theme last."""
    from textual.color import Color

    from reglab.widgets.chart import ChartTheme
    from reglab.widgets.plot_build import register_theme

    if theme == "terminal":
        chart_theme = ChartTheme("reglab-test-terminal", None, None)
    else:
        chart_theme = ChartTheme("reglab-test-dark", Color(30, 30, 30), Color(220, 220, 220))
    register_theme(chart_theme)
    plt = Plot()
    plt.title("a chart")
    draw(plt)
    plt.plotsize(70, 18)
    plt._set_size(70, 18)
    plt.theme(chart_theme.name)
    return plt


@pytest.mark.parametrize("theme", ["dark", "terminal"])
def test_the_picture_read_off_the_matrix_is_from_ansis(theme):
    from reglab.core.penalties.compute import run
    from reglab.core.penalties.params import PenaltiesParams
    from reglab.labs.penalties import draw_coefficients, draw_path

    result = run(PenaltiesParams())
    rng = random.Random(1)
    xs = [rng.uniform(0, 1) for _ in range(120)]
    ys = [rng.gauss(0, 1) for _ in range(120)]

    def legend_and_text(plt):
        plt.plot(xs, ys, marker="braille", label="train", color="red")
        plt.scatter(xs[:20], ys[:20], marker="x", label="test")
        plt.text("note", 0.5, 0.0, color="green", style="bold")
        plt.vertical_line(0.3, color="blue")

    drawings = [
        lambda plt: draw_path(plt, result),
        lambda plt: draw_coefficients(plt, result),
        legend_and_text,
        lambda plt: plt.bar(["a", "b", "c"], [3, -1, 2], orientation="horizontal"),
    ]
    for draw in drawings:
        ours = speedups.picture(themed(draw, theme))
        theirs = Text.from_ansi(themed(draw, theme).build())
        assert ours.plain == theirs.plain
        assert ours.spans == theirs.spans
