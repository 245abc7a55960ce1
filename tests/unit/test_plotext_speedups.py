"""The faster plotext helpers give exactly plotext's own output."""

from __future__ import annotations

import math
import random

import pytest
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
