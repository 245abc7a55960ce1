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
  screen (``reserve_cores``).
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
import logging
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from reglab.core.blas import single_blas_thread
from reglab.core.errors import ParamError
from reglab.core.jobs import CancelledCallback, ProgressCallback, check_cancelled, report
from reglab.core.notes import Caught, collected
from reglab.core.spec import AUTO, DASK, LOCAL

SCHEDULER_ENV = "REGLAB_DASK_SCHEDULER"
DASK_MISSING = "dask is not installed: pip install 'reglab[dask]', or use backend=local"
SCATTERED_PER_CLUSTER = 2  # data sets kept on a cluster's workers (the newest ones)
POLL_SECONDS = 0.1  # how often a dask sweep looks at its cancel flag

T = TypeVar("T")
Unit = Callable[[Any, int], T]
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
) -> list[T]:
    """``[unit(data, i) for i in range(count)]`` on ``backend``, in index order.

    Progress counts finished units within ``span`` of the job and names the backend and its
    workers; ``cancelled`` is polled between units (a unit itself runs to its end, so units
    are kept small), and a cancelled sweep raises ``Cancelled``.
    """
    if count == 0:
        return []
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
    outcomes = run(unit, data, count, backend, finished, cancelled)
    for _, caught in outcomes:
        _raise_again(caught)
    return [value for value, _ in outcomes]


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


def _call(unit: Unit[T], data: Any, index: int, limit_blas: bool) -> tuple[int, T, Caught]:
    """One unit, with its warnings; on a cluster worker also with one BLAS thread (many units
    share a machine there, and one thread keeps the numbers equal to the local run's)."""
    if limit_blas:
        with single_blas_thread(), collected() as caught:
            value = unit(data, index)
    else:
        with collected() as caught:
            value = unit(data, index)
    return index, value, list(caught)


def _raise_again(caught: Caught) -> None:
    import warnings

    for category, text in caught:
        warnings.warn(text, category, stacklevel=3)


# --- local: joblib threads -----------------------------------------------------------------


def _run_local(
    unit: Unit[T],
    data: Any,
    count: int,
    backend: Backend,
    finished: Callable[[int], None],
    cancelled: CancelledCallback | None,
) -> list[tuple[T, Caught]]:
    outcomes: list[Any] = [None] * count
    # One BLAS thread for the whole sweep: many small problems at once (reglab.core.blas).
    with single_blas_thread():
        if min(backend.size, count) == 1:  # in this thread: no pool, no joblib import
            for index in range(count):
                check_cancelled(cancelled)
                _, value, caught = _call(unit, data, index, False)
                outcomes[index] = (value, caught)
                finished(index + 1)
            return outcomes
        from joblib import Parallel, delayed

        parallel = Parallel(
            n_jobs=min(backend.size, count), prefer="threads", return_as="generator_unordered"
        )
        results = parallel(delayed(_call)(unit, data, i, False) for i in range(count))
        try:
            for done, (index, value, caught) in enumerate(results, start=1):
                outcomes[index] = (value, caught)
                finished(done)
                check_cancelled(cancelled)
        finally:
            # A cancelled or failed sweep: joblib drops the units not started (and warns
            # that finished ones went unused, which is the point).
            with collected():
                results.close()
    return outcomes


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
            try:
                client = Client(backend.address, timeout=10, set_as_default=False)
            except (OSError, TimeoutError) as error:
                raise ParamError(
                    "scheduler", f"no Dask scheduler answers at {backend.address} ({error})"
                ) from None
        else:
            for old in [k for k in _clients if k.startswith("LocalCluster(")]:
                _close(old)  # one embedded cluster at a time: its size changed
            cluster = LocalCluster(
                n_workers=backend.size,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
            client = Client(cluster, set_as_default=False)
        if not _clients:
            atexit.register(close_clusters)
        _clients[key] = client
        return client


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
    unit: Unit[T],
    data: Any,
    count: int,
    backend: Backend,
    finished: Callable[[int], None],
    cancelled: CancelledCallback | None,
) -> list[tuple[T, Caught]]:
    client = dask_client(backend)
    shared = _scatter(client, _client_key(backend), data)
    futures = [client.submit(_call, unit, shared, i, True, pure=False) for i in range(count)]
    finished_futures: queue.Queue[Any] = queue.Queue()
    for future in futures:
        future.add_done_callback(finished_futures.put)  # called on the client's own thread
    outcomes: list[Any] = [None] * count
    done = 0
    try:
        while done < count:
            check_cancelled(cancelled)
            try:
                future = finished_futures.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            index, value, caught = future.result()  # a unit's error is raised here
            outcomes[index] = (value, caught)
            done += 1
            finished(done)
    finally:
        if done < count:  # cancelled or failed: stop what is queued or running on the cluster
            client.cancel([future for future in futures if not future.done()], force=True)
    return outcomes
