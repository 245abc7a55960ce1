"""A heat strip of yes/no cells: one row per item, one column per step (features kept in
each retraining window). Each cell is a full block or a faint dot, so the picture reads
without colour too (over SSH, in an SVG)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

KEPT, DROPPED = "█", "·"
NAME_WIDTH = 14


class SelectionStrip(Static):
    """``show(title, rows, kept)``: ``kept[i][j]`` says whether row ``i`` is on in step ``j``."""

    DEFAULT_CSS = """
    SelectionStrip {
        height: 1fr;
        padding: 0 1;
        overflow: hidden;
    }
    """

    def show(
        self, title: str, rows: Sequence[str], kept: Sequence[Sequence[bool]], color: str
    ) -> None:
        text = Text(title + "\n", style="bold")
        for name, cells in zip(rows, kept, strict=True):
            text.append(f"{name[:NAME_WIDTH]:>{NAME_WIDTH}} ", style="dim")
            for on in cells:
                text.append(KEPT if on else DROPPED, style=color if on else "dim")
            text.append("\n")
        self.update(text)
