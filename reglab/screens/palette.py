"""The command palette (ctrl+p): Textual's, made safe against keys in a burst."""

from __future__ import annotations

from textual import work
from textual.command import CommandPalette
from textual.css.query import NoMatches

from reglab.widgets.modal import DismissOnlyOnTop

PALETTE_ID = "--command-palette"  # the id Textual gives its palette


class Palette(DismissOnlyOnTop, CommandPalette):
    """Textual's palette, whose search may start in the instant the palette closes (a key
    typed right behind enter or escape): that search then ends quietly, where Textual's
    fails on the list already gone and takes the app down with it."""

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        try:
            await CommandPalette._gather_commands.__wrapped__(self, search_value)  # type: ignore[attr-defined]
        except NoMatches:
            # Open (on top, not yet answered), it is a real bug: let it show. Not
            # ``is_current``: that also holds under the help screen, or while closing.
            stack = self.app.screen_stack
            if stack and stack[-1] is self and not self._answered():
                raise
