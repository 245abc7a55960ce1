"""Helpers for driving the app in tests."""

from __future__ import annotations

from reglab.app import ReglabApp
from reglab.snapshot import settle
from reglab.widgets.metrics import Metrics
from reglab.widgets.param_panel import ParamRow


def metric_text(app: ReglabApp) -> str:
    """The rows of the current lab's numbers table, one ``name value`` per line."""
    metrics = app.current_pane.query_one(Metrics)
    return "\n".join(f"{name} {value}" for name, value in metrics.rows)


def focused_row(app: ReglabApp) -> ParamRow:
    focused = app.focused
    assert isinstance(focused, ParamRow), f"focus is on {focused!r}"
    return focused


__all__ = ["ReglabApp", "focused_row", "metric_text", "settle"]
