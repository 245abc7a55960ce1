"""The numbers beside the picture: a compact two-column table."""

from __future__ import annotations

from rich.table import Table
from textual.widgets import Static


class Metrics(Static):
    """Key numbers of the current result, as ``(name, value)`` rows."""

    rows: list[tuple[str, str]] = []

    def show(self, rows: list[tuple[str, str]]) -> None:
        # While the table keeps its height a repaint is enough: a layout pass per live update
        # costs UI-thread time that, through the GIL, the running job pays for too.
        same_height = len(rows) == len(self.rows)
        self.rows = rows
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for name, value in rows:
            table.add_row(name, value)
        self.update(table, layout=not same_height)
