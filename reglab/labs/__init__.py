"""One module per lab tab: controls, charts and explanation — no numerics.

The registry (``reglab.core.registry``) names each lab's pane; nothing here lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reglab.core.registry import Lab, load_object

if TYPE_CHECKING:
    from reglab.widgets.lab_pane import LabPane


def pane_class(lab: Lab) -> type[LabPane]:
    """The pane class the registry names for ``lab`` (its module is imported on first use)."""
    cls: type[LabPane] = load_object(lab.pane)
    return cls
