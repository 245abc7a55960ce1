"""One module per lab tab: controls, charts and explanation — no numerics."""

from reglab.labs.overfitting import OverfittingPane
from reglab.labs.penalties import PenaltiesPane

# Tab order is SPEC order; number keys follow it.
LAB_PANES = (
    OverfittingPane,
    PenaltiesPane,
)
