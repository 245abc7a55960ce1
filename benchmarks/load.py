"""The two conditions every responsiveness goal is measured in: a quiet machine, and one
where a CPU-bound process runs beside reglab (the usual state of a student's laptop).

``with beside_cpu_hog():`` starts a numpy loop in a subprocess and stops it on exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

HOG = """
import numpy as np
a = np.random.default_rng(0).random((300, 300))
while True:
    a = np.tanh(a @ a / 300.0)
"""

CONDITIONS = ("quiet", "loaded")


@contextmanager
def beside_cpu_hog() -> Iterator[None]:
    """One CPU-bound numpy process (one BLAS thread) for the length of the block."""
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    hog = subprocess.Popen([sys.executable, "-c", HOG], env={**os.environ, **env})
    time.sleep(0.5)  # let it reach its loop
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


def condition(name: str) -> AbstractContextManager[None]:
    """``quiet`` (nothing beside) or ``loaded`` (a CPU-bound process beside)."""
    return beside_cpu_hog() if name == "loaded" else nullcontext()
