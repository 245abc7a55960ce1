"""Pinned runs: ``p`` keeps the current result, and every chart draws it beside the live
one; a table shows the lab's key numbers as pinned → now.

A lab needs no code of its own for this. Its ``show_result`` is run once more for each pin
with the charts set to capture their drawings instead of showing them (``capture``); each
captured drawing then runs on a ``PinnedPlot``, which keeps only the data series — in grey,
a marker of the pin's own, labelled "pin N" — and leaves titles, axes, ticks and limits to
the live drawing, drawn on top.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from rich.table import Table
from textual.geometry import Size
from textual.widgets import Static

from reglab.core.registry import Lab
from reglab.core.spec import LabParams, format_value, params_to_json

MAX_PINS = 3
PIN_COLOR = "gray"
PIN_MARKERS = ("•", "x", "+")


@dataclass(frozen=True)
class Pin:
    number: int  # 1, 2, 3: its marker and its name in legends and the table
    result: Any  # the lab's result (``to_json``, ``params``)

    @property
    def params(self) -> LabParams:
        return pins_now(self.result)  # a dropout comparison: its chosen run

    def label(self, now: LabParams) -> str:
        """ "pin 1: alpha=0.1 model=ridge": the parameters where it differs from ``now``."""
        pinned, live = params_to_json(self.params), params_to_json(now)
        changed = [f"{k}={format_value(v)}" for k, v in pinned.items() if live.get(k) != v]
        return f"pin {self.number}: " + (" ".join(changed) if changed else "same parameters")


def number_text(value: Any) -> str:
    """Three significant digits, exponents without padding: 1.37e4, not 1.37e+04."""
    if isinstance(value, float):
        return compact(f"{value:.3g}") if math.isfinite(value) else "—"
    return str(value)


def compact(text: str) -> str:
    return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def change_text(pinned: Any, now: Any) -> str:
    """now − pinned, signed; '' when either is not a number."""
    numbers = (int, float)
    if isinstance(pinned, bool) or not isinstance(pinned, numbers):
        return ""
    if isinstance(now, bool) or not isinstance(now, numbers):
        return ""
    delta = now - pinned
    return "±0" if delta == 0 else compact(f"{delta:+.3g}")


class PinTable(Static):
    """The lab's key numbers as the newest pin had them → now, with the change; under it,
    what each pin was (its parameters that differ from now)."""

    rows: list[tuple[str, str, str, str]] = []  # (key, pinned, now, change) as shown

    def show(self, lab: Lab, pins: list[Pin], now: Any) -> None:
        self.display = bool(pins)
        if not pins:
            return
        newest = pins[-1]
        live = lab.key_values(_single(now).to_json())
        pinned = lab.key_values(_single(newest.result).to_json())
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(style="dim", no_wrap=True, overflow="ellipsis", max_width=10)
        for style in ("", "", "bold"):
            table.add_column(justify="right", no_wrap=True, style=style)
        table.add_row("", f"pin {newest.number}", "now", "Δ")
        self.rows = [
            (key, number_text(pinned[key]), number_text(value), change_text(pinned[key], value))
            for key, value in live.items()
        ]
        for key, *numbers in self.rows:
            table.add_row(key.rsplit(".", 1)[-1], *numbers)
        outer = Table.grid(expand=True)
        outer.add_row(table)
        for pin in pins:
            outer.add_row(f"[dim]{escape(pin.label(pins_now(now)))}[/]")
        self.update(outer)
        self.border_title = f"Pinned {len(pins)}/{MAX_PINS} · P clears"


def pins_now(result: Any) -> LabParams:
    """The parameters pins are named against: the result's (a comparison's chosen run's)."""
    return _single(result).params


def _single(result: Any) -> Any:
    """A dropout comparison's chosen run (its key numbers: the last of its ``runs``); any
    other result as it is."""
    runs = getattr(result, "runs", None)
    return runs[-1] if runs else result


class PinnedPlot:
    """A plot for a pinned drawing: its series in grey with the pin's marker and name; every
    other call (titles, axes, ticks, limits, text) is left to the live drawing."""

    def __init__(self, plt: Any, number: int) -> None:
        self._plt, self._number = plt, number
        self._labelled = False
        self.on_top: list[Callable[[], None]] = []  # drawn after the live drawing

    def _label(self) -> str | None:
        if self._labelled:
            return None
        self._labelled = True
        return f"pin {self._number}"

    def _marker(self) -> str:
        return PIN_MARKERS[(self._number - 1) % len(PIN_MARKERS)]

    def plot(self, *args: Any, yside: Any = None, **_: Any) -> None:
        self._plt.plot(
            *args, color=PIN_COLOR, marker=self._marker(), label=self._label(), yside=yside
        )

    def scatter(self, *args: Any, yside: Any = None, **_: Any) -> None:
        self._plt.scatter(
            *args, color=PIN_COLOR, marker=self._marker(), label=self._label(), yside=yside
        )

    def bar(self, *args: Any, orientation: str = "vertical", **_: Any) -> None:
        """Bars become markers at the pinned heights: bars would hide the live ones."""
        labels, heights = args[0], args[1]
        positions = (
            list(range(1, len(labels) + 1))
            if any(isinstance(v, str) for v in labels)
            else list(labels)
        )
        x, y = (heights, positions) if orientation.startswith("h") else (positions, heights)
        marker, label = self._marker(), self._label()
        # On top of the live bars, which would hide them.
        self.on_top.append(
            lambda: self._plt.scatter(x, y, color=PIN_COLOR, marker=marker, label=label)
        )

    def multiple_bar(self, positions: Any, series: Any, **options: Any) -> None:
        """Grouped bars: markers for the first group (the lab's own numbers; the others,
        such as the true coefficients, do not change with the parameters)."""
        self.bar(positions, series[0], orientation=options.get("orientation", "vertical"))

    def vline(self, coordinate: float, *_: Any, **__: Any) -> None:
        self._plt.vline(coordinate, PIN_COLOR)

    def hline(self, coordinate: float, *_: Any, **__: Any) -> None:
        self._plt.hline(coordinate, PIN_COLOR)

    def __getattr__(self, name: str) -> Callable[..., None]:
        return _ignored


def _ignored(*_: Any, **__: Any) -> None:
    return None


def pinned_drawing(draw: Callable[[Any, Size], None], number: int) -> Callable[[Any, Size], Any]:
    """``draw`` (a chart's drawing of a pinned result) as pin ``number``'s overlay; it
    returns what must be drawn after the live drawing (markers for bars)."""

    def overlay(plt: Any, size: Size) -> list[Callable[[], None]]:
        pinned = PinnedPlot(plt, number)
        draw(pinned, size)
        return pinned.on_top

    return overlay


@contextmanager
def capture(charts: list[Any]) -> Iterator[dict[Any, Callable]]:
    """While open, ``chart.show(draw)`` on ``charts`` records ``draw`` instead of drawing."""
    captured: dict[Any, Callable] = {}
    for chart in charts:
        chart.capture = captured
    try:
        yield captured
    finally:
        for chart in charts:
            chart.capture = None
