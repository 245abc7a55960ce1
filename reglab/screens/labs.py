"""The labs' screen: every frame is drawn with the GIL kept, as far as CPython allows
(``reglab.compute.switch_interval`` says why, and what it measured)."""

from __future__ import annotations

from textual.geometry import Size
from textual.screen import Screen

from reglab.compute.switch_interval import SWITCH_INTERVAL


class LabsScreen(Screen):
    # Textual 8's two ways to a frame: its refresh timer (changed lines, or a new layout),
    # and a new layout at once (the first frame, a resize).

    def _on_timer_update(self) -> None:
        with SWITCH_INTERVAL.frame():
            super()._on_timer_update()

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        with SWITCH_INTERVAL.frame():
            super()._refresh_layout(size, scroll)
