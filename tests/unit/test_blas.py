"""single_blas_thread: skips threadpoolctl's library scan only when OpenBLAS is pinned to one
thread by the environment, and otherwise limits BLAS to one thread and restores it."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from reglab.core import blas


def _openblas_threads() -> list[int]:
    return [i["num_threads"] for i in threadpool_info() if i["internal_api"] == "openblas"]


def test_pinned_environment_skips_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    monkeypatch.delitem(sys.modules, "torch", raising=False)  # an earlier test may load it

    def no_scan():
        raise AssertionError("scanned the BLAS libraries")

    monkeypatch.setattr(blas, "_blas_controller", no_scan)
    with blas.single_blas_thread():
        assert np.linalg.svd(np.eye(3))[1].tolist() == [1.0, 1.0, 1.0]


def test_unpinned_environment_limits_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert not blas._pinned_by_environment()
    before = _openblas_threads()
    with blas.single_blas_thread():
        assert all(n == 1 for n in _openblas_threads())
    assert _openblas_threads() == before


def test_other_blas_is_not_trusted_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert blas._pinned_by_environment()  # this environment's numpy and scipy use OpenBLAS
    monkeypatch.setitem(np.__config__.CONFIG["Build Dependencies"]["blas"], "name", "mkl")
    assert not blas._pinned_by_environment()
