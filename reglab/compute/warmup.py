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
import threading

from reglab.errorlog import log_internal_error

SCIENTIFIC_MODULES = (
    "numpy",
    "sklearn.linear_model",
    "sklearn.model_selection",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "reglab.core.overfitting.compute",
    "reglab.core.penalties.compute",
)


# Held while the warm-up imports a module and while a job imports its lab's computation.
# The first job starts beside the warm-up, and two threads importing scikit-learn at once
# can meet in its circular imports: one gets a half-initialised module ("cannot import name
# 'clone' from partially initialized module 'sklearn.base'") and the lab's first result is
# an internal error.
IMPORT_LOCK = threading.RLock()


def warm_imports(modules: tuple[str, ...] = SCIENTIFIC_MODULES) -> None:
    """Import ``modules`` (call from a worker thread), then freeze what survived."""
    for name in modules:
        with IMPORT_LOCK:
            importlib.import_module(name)
    freeze_heap()


def start_warm_up() -> threading.Thread:
    """``warm_imports`` on a daemon thread of its own, which quitting never waits for.

    Not a Textual thread worker: asyncio joins those when the app exits, and a warm-up
    waiting for ``IMPORT_LOCK`` behind a job importing torch (about 2 s) held the exit that
    long. An import that fails is logged; the job that needs the module says so itself."""

    def warm() -> None:
        try:
            warm_imports()
        except Exception as error:  # noqa: BLE001 - a warm-up must never end the app
            log_internal_error("the warm-up imports", error)

    thread = threading.Thread(target=warm, name="reglab-warm-up", daemon=True)
    thread.start()
    return thread


def import_computation(path: str) -> None:
    """Import a lab's computation (``module:function``) under ``IMPORT_LOCK``."""
    with IMPORT_LOCK:
        importlib.import_module(path.partition(":")[0])


class CollectionPause:
    """No garbage collection from the app's start to its first frame.

    Starting the app allocates enough (the DOM, its styles, the first render) for Python to
    run a full collection over everything imported so far, 14-19 ms of a ~260 ms first
    paint, plus ~150 young-generation ones. Nothing needs collecting that early: the
    warm-up collects once and freezes the heap right after the first frame."""

    def __init__(self) -> None:
        self._paused = False

    def start(self) -> None:
        if gc.isenabled():
            gc.disable()
            self._paused = True

    def end(self) -> None:
        if self._paused:
            gc.enable()
            self._paused = False


def freeze_heap() -> None:
    """Collect once, then exempt everything alive from future collections."""
    gc.collect()
    gc.freeze()
