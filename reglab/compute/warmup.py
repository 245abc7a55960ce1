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
import sys
import threading
from collections.abc import Callable

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


def start_warm_up(then: Callable[[], None] = lambda: None) -> threading.Thread:
    """``warm_imports`` on a daemon thread of its own, which quitting never waits for, and
    ``then`` once it is done (or has failed).

    Not a Textual thread worker: asyncio joins those when the app exits, and a warm-up
    waiting for ``IMPORT_LOCK`` behind a job importing torch (about 2 s) held the exit that
    long. An import that fails is logged; the job that needs the module says so itself."""

    def warm() -> None:
        try:
            warm_imports()
        except Exception as error:  # noqa: BLE001 - a warm-up must never end the app
            log_internal_error("the warm-up imports", error)
        finally:
            then()

    thread = threading.Thread(target=warm, name="reglab-warm-up", daemon=True)
    thread.start()
    return thread


def import_computation(path: str) -> None:
    """Import a lab's computation (``module:function``) under ``IMPORT_LOCK``.

    A first import runs without garbage collection and freezes what it loaded: torch set
    off full collections of 16 and 38 ms while it loaded, every thread stopped."""
    module = path.partition(":")[0]
    with IMPORT_LOCK:
        if module in sys.modules:
            return
        collecting = gc.isenabled()
        gc.disable()
        try:
            importlib.import_module(module)
        finally:
            freeze_heap()
            if collecting:
                gc.enable()


class CollectionPause:
    """No garbage collection from the app's start until the warm-up has frozen the heap.

    Starting the app allocates enough (the DOM, its styles, the first render) for Python to
    run a full collection over everything imported so far, 14-19 ms of a ~260 ms first
    paint, plus ~150 young-generation ones; the warm-up's imports then set off full ones of
    60-90 ms each, every thread and so the screen stopped, as the first result is drawn
    and the first keys come. Nothing needs collecting that early: the imports leave little
    garbage (a collection right after finds none), and once they are frozen
    (``freeze_heap``) a full collection only walks what came later."""

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
    """Exempt everything alive from future collections.

    Without a collection first: after the warm-up's imports one took 64 ms, holding the
    GIL and so the screen, and found nothing to free (0 objects; a few thousand at most
    in the app). What little garbage is frozen stays; the pause does not."""
    gc.freeze()
