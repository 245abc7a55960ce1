"""Same data, same picture: chart output must not depend on Python's hash seed."""

import os
import subprocess
import sys

# The penalties coefficient chart at its 80x24 size: where the flicker was first seen.
DRAW = """
import reglab.widgets.plot_build  # what the chart builder imports: plotext, patched
{setup}
from reglab.core.penalties.params import PenaltiesParams
from reglab.core.penalties.compute import run
from reglab.labs.penalties import draw_coefficients
from textual_plotext.plot import Plot
plt = Plot()
plt.plotsize(46, 8)
draw_coefficients(plt, run(PenaltiesParams()))
print(plt.build())
"""


def draw(seed: int, setup: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", DRAW.format(setup=setup)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_reglab_charts_are_the_same_under_every_hash_seed():
    pictures = {draw(seed, "") for seed in (1, 2, 3, 4)}
    assert len(pictures) == 1


def test_plain_plotext_would_differ_which_is_why_chart_patches_it():
    unpatch = "import plotext._utility as u; u.no_duplicates = lambda d: list(set(d))"
    pictures = {draw(seed, unpatch) for seed in (1, 2, 3, 4)}
    assert len(pictures) > 1
