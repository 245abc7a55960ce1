"""Where a lab's sweep runs: every independent unit of it (a fold's path, a block of bootstrap
rounds, a grid cell, a window) goes through ``run_units``, on joblib threads on this machine
(``backend=local``) or on a Dask cluster (``backend=dask``). No scheduler of our own.

A unit is ``unit(data, index)``: a picklable callable (a module-level function, or a
``functools.partial`` of one with small settings bound) of the data every unit reads and its
index. Units draw nothing at random on their own: what is random is drawn beforehand from the
lab's seed, or seeded from it inside the unit by index. So the results, collected in index
order, are the same whatever the order or the place the units run in, and ``backend=dask``
gives exactly ``backend=local``'s numbers.

- local: ``joblib.Parallel`` with threads, as scikit-learn's forests use them: the units'
  work is numpy, LAPACK and scikit-learn's Cython, which release the GIL; threads share the
  data without a copy (a million rows stay one array) and start at once, and processes must
  not fork under Textual. ``workers=auto`` is every core, less those the app keeps for the
  screen (``reserve_cores``). The first unit runs alone and says whether a pool is worth
  starting. Some units gain nothing from threads (``threads_help=False``): lbfgs's Python
  loop holds the GIL, and a coordinate-descent path is bound by memory, each thread with a
  copy of its fold; the embedded LocalCluster's processes are the way to share them out.
- dask: ``dask.distributed``. With no address an embedded ``LocalCluster`` (processes, one
  thread each) starts on first use, is reused for the session and closed at exit; with
  ``scheduler=tcp://host:8786`` (or ``$REGLAB_DASK_SCHEDULER``) reglab joins that cluster.
  The data is scattered to the workers once per data set (cached by its dask token), not
  once per task; cancelling the job cancels the futures still queued or running.

The warnings a unit raises travel back with its result and are raised again in the calling
thread, in index order, so the lab's notes are the same on every backend.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from reglab.core.blas import single_blas_thread
from reglab.core.errors import ParamError
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.notes import Caught, collected
from reglab.core.spec import AUTO, DASK, LOCAL

SCHEDULER_ENV = "REGLAB_DASK_SCHEDULER"
DASK_MISSING = "dask is not installed: pip install 'reglab[dask]', or use backend=local"
SCATTERED_PER_CLUSTER = 2  # data sets kept on a cluster's workers (the newest ones)
POLL_SECONDS = 0.1  # how often a running sweep looks at its job's cancel flag
# Local threads start when the units after the first would take longer than this on one
# thread: a pool and its dispatch cost ~10 ms, and small units gain nothing from sharing
# out (the lambda lab's ridge curve: 8 ms on one thread, 19 ms on two; lasso on 1e5 rows,
# 20 ms a fold: 0.12 s on one, 0.19 s on two).
PARALLEL_ABOVE_SECONDS = 0.1
CONNECT_SECONDS = 10  # how long a scheduler's address may take to answer

T = TypeVar("T")
Unit = Callable[[Any, int], T]
Outcome = tuple[int, Any, Caught]  # a unit's index, its value and the warnings it raised
_unit = threading.local()  # the stop flag of the unit running in this thread
_reserved_cores = 0


def reserve_cores(count: int) -> None:
    """Keep ``count`` cores out of ``workers=auto`` (the app keeps one for the screen)."""
    global _reserved_cores
    _reserved_cores = max(0, count)


def all_workers() -> int:
    """``workers=auto``: the cores this process may use (cgroup limits included), less the
    reserved ones, at least one."""
    import joblib

    return max(1, joblib.cpu_count() - _reserved_cores)


@dataclass(frozen=True)
class Backend:
    """Where units run: ``kind`` local or dask; ``workers`` (None = auto) sizes the local
    thread pool or the embedded LocalCluster; ``scheduler`` is a Dask address ("" = the
    environment's, else the embedded cluster)."""

    kind: str = LOCAL
    workers: int | None = None
    scheduler: str = ""

    @classmethod
    def of(cls, params: Any) -> Backend:
        """The backend a lab's params ask for (labs without the settings run locally)."""
        workers = getattr(params, "workers", AUTO)
        return cls(
            getattr(params, "backend", LOCAL),
            None if workers == AUTO else int(workers),
            getattr(params, "scheduler", ""),
        )

    @property
    def address(self) -> str:
        """The scheduler to join; "" means the embedded LocalCluster."""
        return self.scheduler or os.environ.get(SCHEDULER_ENV, "")

    @property
    def size(self) -> int:
        return self.workers or all_workers()


def run_units(
    unit: Unit[T],
    data: Any,
    count: int,
    backend: Backend,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
    what: str = "units",
    span: tuple[float, float] = (0.0, 1.0),
    threads_help: bool = True,
) -> list[T]:
    """``[unit(data, i) for i in range(count)]`` on ``backend``, in index order.

    ``threads_help=False``: threads only slow the units down, so with ``workers=auto`` they
    run on one local thread. Units that are mostly Python (lbfgs's loop) hold the GIL:
    logistic lambda on breast_cancer took 316 ms on one thread, 366 ms on two. A lasso path
    on a fold is bound by memory, and each thread holds a copy of its fold: lambda on 1e6
    rows took 1.63 s on one thread and 1.68 s on two, at 2.3x and 3.2x the data's size.
    Dask's processes still share them out, and an explicit ``workers`` is obeyed.

    Progress counts finished units within ``span`` of the job and names the backend and its
    workers. ``cancelled`` is polled while the units run, and a cancelled sweep raises
    ``Cancelled`` at once; its running units stop at their next ``unit_cancelled`` check
    here, or are cancelled on the cluster.
    """
    if count == 0:
        return []
    if not threads_help and backend.kind == LOCAL and backend.workers is None:
        backend = replace(backend, workers=1)
    run = _run_dask if backend.kind == DASK else _run_local
    start, end = span
    if backend.kind == DASK:
        report(
            progress, start, f"{what}: joining Dask at {backend.address or 'a new LocalCluster'}"
        )
        dask_client(backend)  # started (or joined) before the status line counts its workers
    label = describe(backend)

    def finished(done: int) -> None:
        report(progress, start + (end - start) * done / count, f"{what} {done}/{count} · {label}")

    report(progress, start, f"{what} 0/{count} · {label}")
    arrivals: queue.Queue[Outcome | BaseException] = queue.Queue()
    stop = run(unit, data, count, backend, arrivals)
    try:
        outcomes = _collect(arrivals, count, finished, cancelled)
    finally:
        stop()  # cancelled or failed: the units still queued or running are dropped
    for _, _, caught in outcomes:
        _raise_again(caught)
    return [value for _, value, _ in outcomes]


def unit_cancelled() -> bool:
    """Inside a unit running on this machine: whether its sweep has been cancelled. A long
    unit polls it between its steps (fits, Newton walks) and raises ``Cancelled``, so a
    cancelled job frees its threads at once. Always False on a cluster, where a cancelled
    future is dropped by Dask."""
    stop = getattr(_unit, "stop", None)
    return stop is not None and stop.is_set()


def _collect(
    arrivals: queue.Queue[Outcome | BaseException],
    count: int,
    finished: Callable[[int], None],
    cancelled: CancelledCallback | None,
) -> list[Outcome]:
    """The units' outcomes in index order, as they arrive; ``cancelled`` is polled every
    ``POLL_SECONDS`` meanwhile, so a cancelled sweep ends at once, not after its units."""
    outcomes: list[Any] = [None] * count
    done = 0
    while done < count:
        check_cancelled(cancelled)
        try:
            arrived = arrivals.get(timeout=POLL_SECONDS)
        except queue.Empty:
            continue
        if isinstance(arrived, BaseException):
            raise arrived  # a unit's own error, e.g. a DataError, reaches the lab
        outcomes[arrived[0]] = arrived
        done += 1
        finished(done)
    return outcomes


def describe(backend: Backend) -> str:
    """What the status line says: "local, 2 workers", "dask LocalCluster, 2 workers"."""
    if backend.kind == LOCAL:
        size = backend.size
        return f"local, {size} worker{'s' * (size != 1)}"
    where = backend.address or "LocalCluster"
    with _clients_lock:
        client = _clients.get(_client_key(backend))
    if client is None:
        return f"dask {where}"
    size = len(client.nthreads())
    return f"dask {where}, {size} worker{'s' * (size != 1)}"


def _call(unit: Unit[T], data: Any, index: int, stop: threading.Event | None) -> Outcome:
    """One unit, with its warnings. Here (``stop`` given) it can see its sweep's cancel; on
    a cluster worker it runs with one BLAS thread (many units share a machine there, and one
    thread keeps the numbers equal to the local run's)."""
    if stop is None:
        with single_blas_thread(), collected() as caught:
            value = unit(data, index)
        return index, value, list(caught)
    _unit.stop = stop
    try:
        with collected() as caught:
            value = unit(data, index)
    finally:
        _unit.stop = None
    return index, value, list(caught)


_pools: list[Any] = []  # threadpoolctl's view of the loaded libraries, once it has OpenMP


def _thread_pools() -> Any:
    """threadpoolctl's view of the BLAS and OpenMP libraries loaded. Looking costs ~10 ms,
    more than a small sweep, so it is kept once scikit-learn's OpenMP runtime is in it."""
    from threadpoolctl import ThreadpoolController

    if _pools:
        return _pools[0]
    controller = ThreadpoolController()
    if controller.select(user_api="openmp").lib_controllers:
        _pools.append(controller)
    return controller


def _call_beside_others(
    controller: Any, unit: Unit[T], data: Any, index: int, stop: threading.Event
) -> Outcome:
    """A unit on one of several threads: one OpenMP thread in it, as one BLAS thread.
    scikit-learn's Cython (the logistic loss, for one) starts an OpenMP team per call, and
    a team per worker oversubscribes the cores: lambda's logistic sweep on 1e5 rows took
    5.4 s on two workers against 3.5 s on one. (The limit is the thread's own.)"""
    with controller.limit(limits=1, user_api="openmp"):
        return _call(unit, data, index, stop)


def _raise_again(caught: Caught) -> None:
    import warnings

    for category, text in caught:
        warnings.warn(text, category, stacklevel=3)


# --- local: joblib threads -----------------------------------------------------------------


def _run_local(
    unit: Unit[T], data: Any, count: int, backend: Backend, arrivals: queue.Queue
) -> Callable[[], None]:
    """Start the units on a thread of their own (``workers`` joblib threads under it); the
    caller collects them from ``arrivals`` and calls the returned function to stop them."""
    stop = threading.Event()
    threading.Thread(
        target=_run_here,
        args=(unit, data, count, min(backend.size, count), stop, arrivals),
        name="reglab-sweep",
        daemon=True,  # quitting never waits for a unit
    ).start()
    return stop.set


def _run_here(
    unit: Unit[T], data: Any, count: int, workers: int, stop: threading.Event, arrivals: queue.Queue
) -> None:
    # One BLAS thread for the whole sweep: many small problems at once (reglab.core.blas).
    with single_blas_thread():
        try:
            first = 0
            if workers > 1:  # the first unit alone says whether a pool is worth starting
                started = time.perf_counter()
                arrivals.put(_call(unit, data, 0, stop))
                rest = (time.perf_counter() - started) * (count - 1)
                workers, first = (workers if rest > PARALLEL_ABOVE_SECONDS else 1), 1
            if workers == 1:  # no pool: the units one after another on this thread
                for index in range(first, count):
                    if stop.is_set():
                        return
                    arrivals.put(_call(unit, data, index, stop))
                return
            from joblib import Parallel, delayed

            controller = _thread_pools()
            parallel = Parallel(n_jobs=workers, prefer="threads", return_as="generator_unordered")
            results = parallel(
                delayed(_call_beside_others)(controller, unit, data, i, stop)
                for i in range(first, count)
            )
            try:
                for outcome in results:
                    if stop.is_set():
                        break
                    arrivals.put(outcome)
            finally:
                # A stopped sweep: joblib drops the units not started (and warns that
                # finished ones went unused, which is the point).
                with collected():
                    results.close()
        except BaseException as error:  # noqa: BLE001 - the collecting thread raises it
            arrivals.put(error)


# --- dask: a distributed cluster ----------------------------------------------------------

_clients_lock = threading.Lock()
_clients: dict[str, Any] = {}  # _client_key -> Client
_scattered: dict[str, OrderedDict[str, Any]] = {}  # _client_key -> token -> Future


def _client_key(backend: Backend) -> str:
    return backend.address or f"LocalCluster({backend.size})"


def dask_client(backend: Backend) -> Any:
    """The session's client for ``backend``: an embedded LocalCluster's, started on first use,
    or one joined to the scheduler at the address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ParamError("backend", DASK_MISSING) from None
    key = _client_key(backend)
    with _clients_lock:
        client = _clients.get(key)
        if client is not None and client.status == "running":
            return client
        # Dask logs to stderr, which would draw over the app's screen.
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        if backend.address:
            _check_reachable(backend.address)
            try:
                client = Client(backend.address, timeout=CONNECT_SECONDS, set_as_default=False)
            except (OSError, TimeoutError) as error:
                raise ParamError(
                    "scheduler", f"no Dask scheduler answers at {backend.address} ({error})"
                ) from None
        else:
            for old in [k for k in _clients if k.startswith("LocalCluster(")]:
                _close(old)  # one embedded cluster at a time: its size changed
            # Under Textual sys.stderr is a capture whose fileno() is -1, and multiprocessing
            # hands that number to the process it starts to track semaphores ("bad value(s)
            # in fds_to_keep"): while the workers start, stderr is /dev/null instead.
            with open(os.devnull, "w") as quiet, contextlib.redirect_stderr(quiet):
                cluster = LocalCluster(
                    n_workers=backend.size,
                    threads_per_worker=1,
                    processes=True,
                    # Its HTTP server (None still meant 0.0.0.0:8787): loopback, any free port.
                    dashboard_address="127.0.0.1:0",
                    silence_logs=logging.CRITICAL,
                )
            client = Client(cluster, set_as_default=False)
        if not _clients:
            atexit.unregister(close_clusters)  # once, however often clusters come and go
            atexit.register(close_clusters)
        _clients[key] = client
        return client


def _check_reachable(address: str) -> None:
    """A one-line error for an address Dask cannot parse or nothing listens at, before a
    Client is made: a Client that fails to connect takes 20 s more to give up as it goes."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        host, port = parse_host_port(parse_address(address)[1])
    except ValueError as error:
        raise ParamError(
            "scheduler", f"{address!r} is not a Dask address ({error}); e.g. tcp://host:8786"
        ) from None
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        raise ParamError("scheduler", f"no Dask scheduler answers at {address} ({error})") from None


def close_clusters() -> None:
    """Close every client, and the embedded LocalCluster with its worker processes."""
    with _clients_lock:
        for key in list(_clients):
            _close(key)


def _close(key: str) -> None:
    client = _clients.pop(key)
    _scattered.pop(key, None)
    cluster = client.cluster  # the embedded LocalCluster, None for a joined scheduler
    client.close()
    if cluster is not None:
        cluster.close()


def _scatter(client: Any, key: str, data: Any) -> Any:
    """``data`` on every worker, sent once per data set: the same token reuses the future."""
    from dask.base import tokenize

    token = tokenize(data)
    with _clients_lock:
        kept = _scattered.setdefault(key, OrderedDict())
        if token in kept:
            kept.move_to_end(token)
            return kept[token]
    [future] = client.scatter([data], broadcast=True, hash=False)
    with _clients_lock:
        kept[token] = future
        while len(kept) > SCATTERED_PER_CLUSTER:
            kept.popitem(last=False)  # the last reference: the cluster frees it
    return future


def _run_dask(
    unit: Unit[T], data: Any, count: int, backend: Backend, arrivals: queue.Queue
) -> Callable[[], None]:
    """Submit the units to the cluster, the data scattered once; each future's outcome goes
    to ``arrivals``. The returned function cancels the futures not yet done."""
    client = dask_client(backend)
    shared = _scatter(client, _client_key(backend), data)
    futures = [client.submit(_call, unit, shared, i, None, pure=False) for i in range(count)]

    def arrived(future: Any) -> None:  # on a thread of the client's
        try:
            arrivals.put(future.result())
        except BaseException as error:  # noqa: BLE001 - a unit's error, or its cancel
            arrivals.put(error)

    for future in futures:
        future.add_done_callback(arrived)

    def stop() -> None:
        pending = [future for future in futures if not future.done()]
        if pending:  # stop what is queued or running on the cluster
            client.cancel(pending, force=True)

    return stop
