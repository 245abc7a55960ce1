"""Textual's Footer, with its keys in the first frame and recomposed only when they change.

Footer composes empty, then rebuilds its keys whenever the screen's bindings are updated,
and they are updated on every focus move: moving between parameter rows recomposed it twice
a key, 8 ms each on the UI thread (16 recompositions for 8 arrow keys,
tests/ui/test_key_footer.py), and the empty footer of the first frame cost a second layout
before the screen settled. The rows share their bindings, so the keys shown do not change.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


def keys_shown(screen: Screen) -> tuple:
    """What the footer shows of ``screen``'s active bindings."""
    return tuple(
        (binding.key, binding.description, binding.action, enabled, tooltip)
        for _, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeyFooter(Footer):
    _shown: tuple | None = None  # the keys composed last

    def compose(self) -> ComposeResult:
        self.set_reactive(Footer._bindings_ready, True)  # the screen's bindings are known
        self._shown = keys_shown(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if keys_shown(screen) != self._shown:
            super().bindings_changed(screen)  # recomposes, unless the app is unfocused
