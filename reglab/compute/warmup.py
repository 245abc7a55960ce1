"""Heavy imports off the UI thread, after the first frame is painted.

scikit-learn takes ~1.5 s to import here. Importing it in a background thread right after
first paint keeps start-up fast; afterwards ``gc.freeze()`` moves the ~270k long-lived
objects out of the collector's reach, so a full collection no longer pauses every thread
(measured: worst UI lag 150 ms -> 40 ms). torch is not warmed here: the dropout lab imports
it when it first runs.
"""

from __future__ import annotations

import gc
import importlib

SCIENTIFIC_MODULES = (
    "numpy",
    "sklearn.linear_model",
    "sklearn.model_selection",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "reglab.core.overfitting.compute",
    "reglab.core.penalties.compute",
)


def warm_imports(modules: tuple[str, ...] = SCIENTIFIC_MODULES) -> None:
    """Import ``modules`` (call from a worker thread), then freeze what survived."""
    for name in modules:
        importlib.import_module(name)
    freeze_heap()


def freeze_heap() -> None:
    """Collect once, then exempt everything alive from future collections."""
    gc.collect()
    gc.freeze()
