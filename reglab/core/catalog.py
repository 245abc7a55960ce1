"""The names of the built-in data sets, declared once; light to import (no numpy).

``reglab.core.datasets`` loads them; each lab's params offer the ones it can use.
"""

from __future__ import annotations

CSV = "csv"
# scikit-learn's bundled sets: nothing is downloaded.
REGRESSION_SETS = ("diabetes",)
CLASSIFICATION_SETS = ("breast_cancer", "wine", "iris", "digits")
# Generated regression data, drawn with the lab's seed.
SYNTHETIC_REGRESSION = ("synthetic", "correlated")
REGRESSION_CHOICES = (*SYNTHETIC_REGRESSION, *REGRESSION_SETS, CSV)
CLASSIFICATION_CHOICES = (*CLASSIFICATION_SETS, CSV)
