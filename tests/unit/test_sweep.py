"""reglab.core.sweep on this machine (joblib threads): order, notes, errors, cancellation,
and the backend settings' one-line errors. The Dask side is in tests/cluster."""

from __future__ import annotations

import sys
import threading
import time
import warnings

import pytest

from reglab.core import sweep
from reglab.core.errors import Cancelled, DataError, ParamError
from reglab.core.jobs import Progress
from reglab.core.notes import warnings_as_notes
from reglab.core.sweep import Backend, describe, run_units, unit_cancelled


def _slow_second(data: list[float], index: int) -> float:
    """Unit 1 finishes last (unit 0 runs alone, first, to size the sweep): a sweep collected
    in completion order would be out of order."""
    time.sleep(0.1 if index == 1 else 0.0)
    return data[index] * 10


def _warn(data: None, index: int) -> int:
    warnings.warn(f"unit {index} is unhappy", RuntimeWarning, stacklevel=1)
    return index


def _fail(data: None, index: int) -> int:
    if index == 2:
        raise DataError("unit 2 cannot")
    return index


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_index_order(workers, monkeypatch):
    monkeypatch.setattr(sweep, "PARALLEL_ABOVE_SECONDS", 0.0)  # a pool, however small the units
    results = run_units(_slow_second, [1.0, 2.0, 3.0, 4.0], 4, Backend(workers=workers))
    assert results == [10.0, 20.0, 30.0, 40.0]


def test_warnings_raised_in_worker_threads_become_the_callers_notes():
    notes: list[str] = []
    with warnings_as_notes(notes):
        run_units(_warn, None, 3, Backend(workers=2))
    assert notes == ["RuntimeWarning (3x): unit 0 is unhappy"]


def test_a_units_error_reaches_the_caller_as_itself():
    with pytest.raises(DataError, match="unit 2 cannot"):
        run_units(_fail, None, 5, Backend(workers=2))


@pytest.mark.parametrize("workers", [1, 2])
def test_cancelling_stops_the_sweep_between_units(workers):
    started: list[int] = []
    lock = threading.Lock()

    def unit(data: None, index: int) -> int:
        with lock:
            started.append(index)
        time.sleep(0.01)
        return index

    with pytest.raises(Cancelled):
        run_units(unit, None, 200, Backend(workers=workers), cancelled=lambda: len(started) >= 3)
    time.sleep(0.1)  # anything still queued would have started by now
    assert len(started) < 20


@pytest.mark.parametrize("workers", [1, 2])
def test_a_long_unit_sees_its_sweep_cancelled_and_frees_its_thread(workers):
    started: list[int] = []
    saw: list[str] = []

    def unit(data: None, index: int) -> None:
        started.append(index)
        for _ in range(3000):  # 30 s at most, if the cancel never reached it
            if unit_cancelled():
                saw.append("cancel")
                raise Cancelled()
            time.sleep(0.01)
        saw.append("its own end")

    with pytest.raises(Cancelled):
        run_units(unit, None, 2, Backend(workers=workers), cancelled=lambda: bool(started))
    for _ in range(500):
        if len(saw) == len(started):
            break
        time.sleep(0.01)
    assert saw and set(saw) == {"cancel"}
    assert not unit_cancelled()  # outside a unit there is nothing to cancel


class ThreadRecorder:
    """A unit that pauses ``data`` seconds and records the thread it ran on."""

    def __init__(self) -> None:
        self.threads: set[str] = set()

    def __call__(self, pause: float, index: int) -> int:
        self.threads.add(threading.current_thread().name)
        time.sleep(pause)
        return index


def test_small_units_stay_on_one_thread_and_big_ones_share_out():
    unit = ThreadRecorder()
    threads = unit.threads
    assert run_units(unit, 0.0, 8, Backend(workers=2)) == list(range(8))
    assert len(threads) == 1  # the sweep's own thread: no pool for units of no cost
    threads.clear()
    assert run_units(unit, 0.05, 8, Backend(workers=2)) == list(range(8))
    assert len(threads) == 3  # the sweep's thread ran unit 0; two pool threads the rest


def test_units_threads_do_not_help_stay_on_one_thread_unless_workers_are_set():
    unit = ThreadRecorder()
    threads = unit.threads
    assert run_units(unit, 0.05, 6, Backend(), threads_help=False) == list(range(6))
    assert len(threads) == 1
    threads.clear()
    assert run_units(unit, 0.05, 6, Backend(workers=2), threads_help=False) == list(range(6))
    assert len(threads) == 3  # an explicit workers setting is obeyed


def test_lambda_shares_out_only_the_folds_threads_help(monkeypatch):
    """A lasso path is bound by memory, each thread holding a fold's copy: one thread; a
    ridge fold's SVD shares out."""
    from reglab.core.lambda_finder import compute
    from reglab.core.registry import LABS
    from reglab.core.spec import with_values

    asked: list[bool] = []
    real = compute.run_units
    monkeypatch.setattr(
        compute, "run_units", lambda *a, **k: asked.append(k["threads_help"]) or real(*a, **k)
    )
    for model in ("lasso", "ridge"):
        LABS["lambda"].run(with_values(LABS["lambda"].params(), {"model": model}))
    assert asked == [False, True]


def test_progress_counts_finished_units_and_names_the_backend():
    updates: list[Progress] = []
    run_units(
        _slow_second,
        [1.0, 2.0],
        2,
        Backend(workers=2),
        progress=updates.append,
        what="folds",
        span=(0.2, 0.6),
    )
    assert [u.message for u in updates] == [
        "folds 0/2 · local, 2 workers",
        "folds 1/2 · local, 2 workers",
        "folds 2/2 · local, 2 workers",
    ]
    assert [u.fraction for u in updates] == pytest.approx([0.2, 0.4, 0.6])


def test_backend_reads_the_labs_settings():
    from reglab.core.lambda_finder.params import LambdaParams

    assert Backend.of(LambdaParams()) == Backend("local", None, "")
    params = LambdaParams(backend="dask", workers=3, scheduler="tcp://127.0.0.1:8786")
    assert Backend.of(params) == Backend("dask", 3, "tcp://127.0.0.1:8786")
    assert describe(Backend(workers=1)) == "local, 1 worker"


def test_the_environment_names_the_scheduler(monkeypatch):
    monkeypatch.setenv("REGLAB_DASK_SCHEDULER", "tcp://10.1.2.3:8786")
    assert Backend("dask").address == "tcp://10.1.2.3:8786"
    assert Backend("dask", scheduler="tcp://127.0.0.1:1").address == "tcp://127.0.0.1:1"


def test_without_the_dask_extra_the_lab_says_how_to_get_it(monkeypatch, cli_error):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(ParamError, match=r"pip install 'reglab\[dask\]'"):
        run_units(_slow_second, [1.0], 1, Backend("dask"))
    code, err = cli_error("run", "lambda", "--set", "backend=dask")
    assert code == 2
    assert err.strip().splitlines() == [
        "reglab: error: backend: dask is not installed: pip install 'reglab[dask]', "
        "or use backend=local"
    ]


def test_a_scheduler_with_backend_local_is_refused_or_noted(cli_error, cli_json):
    setting = "scheduler=tcp://127.0.0.1:8786"
    code, err = cli_error("run", "trees", "--set", "backend=local", "--set", setting)
    assert code == 2
    assert err.strip() == (
        "reglab: error: scheduler: tcp://127.0.0.1:8786 has no effect with backend=local; "
        "it needs backend=dask (or leave scheduler out)"
    )
    notes = cli_json("production", setting)["notes"]  # local only by default: a note
    assert (
        f"{setting} has no effect with these settings (backend=local; set backend=dask for it)"
        in notes
    )


@pytest.mark.parametrize(
    ("address", "line"),
    [
        ("foo", "scheduler: 'foo' is not a Dask address (missing port number in address 'foo')"),
        ("tcp://127.0.0.1:1", "scheduler: no Dask scheduler answers at tcp://127.0.0.1:1 ("),
    ],
)
def test_a_bad_scheduler_address_is_one_line(cli_error, address, line):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    code, err = cli_error("run", "lambda", "--set", "backend=dask", "--set", f"scheduler={address}")
    assert code == 2
    assert err.startswith(f"reglab: error: {line}") and len(err.strip().splitlines()) == 1
