"""The numbers beside the picture: a compact two-column table."""

from __future__ import annotations

from rich.table import Table
from textual.widgets import Static


class Metrics(Static):
    """Key numbers of the current result, as ``(name, value)`` rows; in a short terminal
    (``compact``) long numbers are cut to four significant digits, so that none is cut off."""

    rows: list[tuple[str, str]] = []
    _compact = False

    @property
    def compact(self) -> bool:
        return self._compact

    @compact.setter
    def compact(self, compact: bool) -> None:
        if compact != self._compact:
            self._compact = compact
            self.show(self.rows)

    def show(self, rows: list[tuple[str, str]]) -> None:
        # While the table keeps its height a repaint is enough: a layout pass per live update
        # costs UI-thread time that, through the GIL, the running job pays for too.
        same_height = len(rows) == len(self.rows)
        self.rows = rows
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for name, value in rows:
            table.add_row(name, shorten(value) if self._compact else value)
        self.update(table, layout=not same_height)


def shorten(value: str) -> str:
    """A number longer than 7 characters to four significant digits (``:.4g``): 1.367e+04
    stays, 0.00012345678 becomes 0.0001235; text is left as it is."""
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:.4g}" if len(value) > 7 else value
