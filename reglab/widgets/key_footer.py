"""Textual's Footer, recomposed only when the keys it shows change.

Footer rebuilds its keys whenever the screen's bindings are updated, and they are updated
on every focus move: moving between parameter rows recomposed it twice a key, 9 ms each on
the UI thread (16 recompositions for 8 arrow keys in tests/ui/test_key_footer.py), and
twice before the first paint. The rows share their bindings, so the keys shown do not
change.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    _shown: tuple | None = None  # the keys on show, as bindings_changed last saw them

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown and self._bindings_ready:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # a recomposition is on its way (Footer's own conditions)
