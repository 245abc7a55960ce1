"""One module per lab tab: controls, charts and explanation — no numerics."""

from reglab.labs.bias_variance import BiasVariancePane
from reglab.labs.classification import ClassificationPane
from reglab.labs.dropout import DropoutPane
from reglab.labs.lambda_finder import LambdaPane
from reglab.labs.overfitting import OverfittingPane
from reglab.labs.penalties import PenaltiesPane
from reglab.labs.trees import TreesPane

# Tab order is SPEC order; number keys follow it.
LAB_PANES = (
    OverfittingPane,
    PenaltiesPane,
    ClassificationPane,
    TreesPane,
    DropoutPane,
    LambdaPane,
    BiasVariancePane,
)
