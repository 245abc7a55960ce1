"""One module per lab tab: controls, charts and explanation — no numerics.

The registry (``reglab.core.registry``) names each lab's pane; nothing here lists them.
``LabTab`` is a lab's tab, which creates the lab's pane, and imports its module, when the
tab is first shown.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widget import Widget

from reglab.core.registry import Lab, load_object
from reglab.core.spec import LabParams

if TYPE_CHECKING:
    from reglab.widgets.lab_pane import LabPane


def pane_class(lab: Lab) -> type[LabPane]:
    """The pane class the registry names for ``lab`` (its module is imported on first use)."""
    cls: type[LabPane] = load_object(lab.pane)
    return cls


class LabTab(Widget):
    """A lab's tab (its id is the lab's name). Only the tab shown first creates its pane
    at once; the others when first shown: importing, composing and styling seven more panes
    before the first frame cost 8 ms of it (bench_ui's first paint, 239 -> 231 ms)."""

    def __init__(self, lab: Lab, *, params: LabParams | None, shown: bool) -> None:
        super().__init__(id=lab.name)
        self.lab = lab
        self._params = params
        self._pane: LabPane | None = self._new_pane() if shown else None
        # Set once the pane is mounted (None: not asked for yet).
        self._mounted: asyncio.Event | None = None

    def compose(self) -> ComposeResult:
        if self._pane is not None:
            yield self._pane

    def _new_pane(self) -> LabPane:
        return pane_class(self.lab)(self.lab, params=self._params)

    @property
    def pane(self) -> LabPane | None:
        """The lab's pane, once it is mounted."""
        return self._pane if self._pane is not None and self._pane.is_mounted else None

    async def load(self) -> LabPane:
        """The lab's pane, created on the first call. A second call while the first is still
        mounting waits for it: a tab shown twice in a burst of keys gets one pane, and no
        focus lands on controls that are not there yet."""
        if self._mounted is None:
            self._mounted = asyncio.Event()
            if self._pane is None:
                self._pane = self._new_pane()
                await self.mount(self._pane)
            self._mounted.set()
        await self._mounted.wait()
        assert self.pane is not None, f"the {self.lab.name} pane is mounted"
        return self.pane
