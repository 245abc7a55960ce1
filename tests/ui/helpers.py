"""Helpers for driving the app in tests."""

from __future__ import annotations

from textual.widgets import Input

from reglab.app import ReglabApp
from reglab.core.registry import LABS
from reglab.snapshot import settle
from reglab.widgets.metrics import Metrics
from reglab.widgets.param_panel import ParamPanel, ParamRow


def metric_text(app: ReglabApp) -> str:
    """The rows of the current lab's numbers table, one ``name value`` per line."""
    metrics = app.current_pane.query_one(Metrics)
    return "\n".join(f"{name} {value}" for name, value in metrics.rows)


def focused_row(app: ReglabApp) -> ParamRow:
    focused = app.focused
    assert isinstance(focused, ParamRow), f"focus is on {focused!r}"
    return focused


async def open_tab(app: ReglabApp, pilot, key: str, lab: str):
    """Wait for the first lab, then press ``key``."""
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    pane = app.current_pane
    assert pane.lab.name == lab
    return pane


def irrelevant(pane, name: str) -> bool:
    return pane.query_one(ParamPanel).row(name).has_class("-irrelevant")


def tab_key(lab: str) -> str:
    """The number key of a lab's tab (6 and 7 once every lab is registered)."""
    return str(list(LABS).index(lab) + 1)


async def open_lab(app: ReglabApp, pilot, lab: str):
    await settle(app, pilot)
    await pilot.press(tab_key(lab))
    await settle(app, pilot)
    pane = app.current_pane
    assert pane.lab.name == lab and pane.result is not None
    return pane


def relevant(pane, name: str) -> bool:
    return pane.query_one(ParamPanel).row(name).relevant


async def type_value(app: ReglabApp, pilot, text: str) -> None:
    """Open the focused row's editor, replace its text, submit."""
    await pilot.press("enter")
    editor = app.focused
    assert isinstance(editor, Input)
    editor.value = ""
    await pilot.press(*text, "enter")


__all__ = [
    "ReglabApp",
    "focused_row",
    "irrelevant",
    "metric_text",
    "open_lab",
    "open_tab",
    "relevant",
    "settle",
    "tab_key",
    "type_value",
]
