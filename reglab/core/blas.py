"""One BLAS thread while a lab computes many small linear-algebra problems.

OpenBLAS starts a thread team for every call; for the small matrices of CV folds and
bootstrap rounds that costs more than it saves, badly so when the other core is busy
(measured on the 2-core reference machine: the logistic lambda search took 4-7 s with the
default team and 0.7 s with one thread; a stack of 25 SVDs 0.3 s against 0.03 s).

The limit is process-wide (that is how BLAS works), so it is reference-counted: nested or
concurrent labs share it and the original setting comes back when the last one leaves.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_users = 0
_limiters: list = []
_scan: tuple[int, Any] = (-1, None)  # (len(sys.modules) when scanned, the controller)


def _blas_controller() -> Any:
    """threadpoolctl's view of the loaded libraries. Scanning them takes ~2.5 ms, a third
    of a lasso lambda search, so the scan is kept until a module has been imported since
    (native libraries arrive with imports)."""
    global _scan
    from threadpoolctl import ThreadpoolController

    if _scan[0] != len(sys.modules):
        _scan = (len(sys.modules), ThreadpoolController())
    return _scan[1]


def _pinned_by_environment() -> bool:
    """OpenBLAS already runs one thread (``OPENBLAS_NUM_THREADS=1``) and every BLAS loaded is
    OpenBLAS: then the scan, ~10 ms of a cold ``reglab run``, would change nothing. Torch may
    bring MKL, so with torch loaded the scan always runs."""
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1" or "torch" in sys.modules:
        return False
    for name in ("numpy", "scipy"):
        module = sys.modules.get(name)
        if module is None:
            continue
        try:
            blas = module.__config__.CONFIG["Build Dependencies"]["blas"]["name"]
        except (AttributeError, KeyError, TypeError):
            return False
        if "openblas" not in str(blas).lower():
            return False
    return True


@contextmanager
def single_blas_thread() -> Iterator[None]:
    global _users
    if _pinned_by_environment():
        yield
        return
    with _lock:
        # Every entry limits the BLAS libraries loaded by then (a library imported after an
        # outer entry would otherwise escape); the last exit restores them in reverse order.
        _limiters.append(_blas_controller().limit(limits=1, user_api="blas"))
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                while _limiters:
                    _limiters.pop().restore_original_limits()
