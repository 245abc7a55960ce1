"""Adding a lab takes a params class, a computation, a pane and one registry entry.

A throw-away lab, declared entirely in this file, is registered for one test; the CLI, the
tabs, the number keys and the palette pick it up with no other list edited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from textual.app import ComposeResult
from textual.command import CommandPalette
from textual.widgets import Static

from reglab.cli import main
from reglab.core.registry import LABS, Lab
from reglab.core.results import LabResult
from reglab.core.spec import LabParams, param, seed_param
from reglab.widgets.lab_pane import LabPane
from tests.ui.helpers import ReglabApp, metric_text, settle


@dataclass(frozen=True)
class SquareParams(LabParams):
    lab: ClassVar[str] = "square"
    x: float = param(3.0, "the number to square", low=-10, high=10, step=0.5)
    seed: int = seed_param()


@dataclass(frozen=True)
class SquareResult(LabResult):
    square: float


def run(params: SquareParams, progress: Any = None, cancelled: Any = None) -> SquareResult:
    return SquareResult(params=params, square=params.x**2)


class SquarePane(LabPane):
    EXPLANATION = "x squared."

    def compose_charts(self) -> ComposeResult:
        yield Static("no chart", id="square-chart")

    def show_result(self, result: Any) -> None:
        self.query_one("Metrics").show([("square", f"{result.square:g}")])


SQUARE = Lab(
    "square",
    f"{__name__}:SquareParams",
    "Square",
    "a throw-away lab: x squared",
    compute=f"{__name__}:run",
    pane=f"{__name__}:SquarePane",
)


@pytest.fixture
def square_lab(monkeypatch):
    monkeypatch.setitem(LABS, SQUARE.name, SQUARE)
    return SQUARE


def test_the_cli_runs_a_newly_registered_lab(square_lab, capsys):
    assert main(["labs"]) == 0
    assert "square" in capsys.readouterr().out
    assert main(["run", "square", "--set", "x=4", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["square"] == 16.0 and payload["params"] == {"x": 4.0, "seed": 42}
    assert main(["run", "square", "--set", "x=11"]) == 2
    assert "x: 11.0 is not allowed" in capsys.readouterr().err


async def test_the_app_shows_a_newly_registered_lab_on_the_next_number_key(square_lab):
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(str(len(LABS)))
        await settle(app, pilot)
        assert app.current_pane.lab is square_lab
        assert "square 9" in metric_text(app)
        await pilot.press("right")  # x: 3 -> 3.5
        await settle(app, pilot)
        assert "square 12.25" in metric_text(app)
        await pilot.press("ctrl+p")
        await pilot.press(*"Square")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
