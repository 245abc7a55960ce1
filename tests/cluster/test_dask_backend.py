"""backend=dask: the same numbers as backend=local, on an embedded LocalCluster (two worker
processes) and on a real ``dask scheduler`` + ``dask worker`` started here; data scattered
once per data set; cancelling in the app leaves the cluster idle.

Every test here shares one embedded cluster per test process (reglab.core.sweep keeps it for
the session), and ``make test`` keeps them in one xdist group so only one cluster starts.
"""

from __future__ import annotations

import importlib
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")

from distributed import Client  # noqa: E402

from reglab.core.registry import LABS  # noqa: E402
from reglab.core.spec import with_values  # noqa: E402
from reglab.core.sweep import Backend, close_clusters, dask_client  # noqa: E402

pytestmark = pytest.mark.xdist_group("dask")

ON_CLUSTER = {"backend": "dask", "workers": "2"}  # LocalCluster(n_workers=2, processes=True)
CASES = {
    "lambda lasso": ("lambda", {"model": "lasso"}),
    "lambda logistic": ("lambda", {"model": "logistic"}),
    "bias-variance bootstrap ridge": ("bias-variance", {"mode": "bootstrap", "rounds": "40"}),
    "bias-variance bootstrap tree": (
        "bias-variance",
        {"mode": "bootstrap", "model": "tree", "rounds": "40"},
    ),
    "classification grid": ("classification", {"grid": "true"}),
    "trees sweep": ("trees", {}),
    "production windows": ("production", {}),
}


def numbers(lab: str, settings: dict[str, str]) -> dict:
    """The lab's JSON, computed afresh, without the settings that say where it ran. A run on
    Dask must say so in its progress: a cached local result would prove nothing."""
    params = with_values(LABS[lab].params(), settings)
    compute_module = importlib.import_module(LABS[lab].compute.partition(":")[0])
    getattr(compute_module, "clear_caches", lambda: None)()
    messages: list[str] = []
    payload = LABS[lab].run(params, progress=lambda p: messages.append(p.message)).to_json()
    if params.backend == "dask":
        assert any("· dask " in message for message in messages), messages
    for name in ("backend", "workers", "scheduler"):
        payload["params"].pop(name)
    return payload


@pytest.mark.parametrize("case", list(CASES))
def test_dask_gives_exactly_the_local_numbers(case):
    lab, settings = CASES[case]
    local = numbers(lab, {**settings, "workers": "1"})
    assert numbers(lab, {**settings, **ON_CLUSTER}) == local


def test_data_is_scattered_once_per_data_set(monkeypatch):
    client = dask_client(Backend("dask", 2))
    scattered = []
    real_scatter = client.scatter

    def counting_scatter(*args, **kwargs):
        scattered.append(args)
        return real_scatter(*args, **kwargs)

    monkeypatch.setattr(client, "scatter", counting_scatter)
    settings = {**ON_CLUSTER, "dataset": "diabetes", "model": "ridge"}  # data no other test sends
    first = numbers("lambda", {**settings, "folds": "5"})
    second = numbers("lambda", {**settings, "folds": "4"})  # 4 more tasks, the same data
    assert len(scattered) == 1
    assert first["fold_scores"] != second["fold_scores"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_real_scheduler_and_worker_give_the_local_numbers(tmp_path):
    dask = shutil.which("dask", path=str(Path(sys.executable).parent))
    if dask is None:
        pytest.skip("no dask command beside this Python")
    address = f"tcp://127.0.0.1:{_free_port()}"
    scheduler = subprocess.Popen(
        [
            dask,
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            address.rsplit(":", 1)[1],
            "--no-dashboard",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "scheduler.log", "w"),  # noqa: SIM115 - closed with the process
    )
    worker = subprocess.Popen(
        [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "w"),  # noqa: SIM115
    )
    try:
        with Client(address, timeout=30) as watcher:
            watcher.wait_for_workers(1, timeout=60)
        settings = {"mode": "bootstrap", "rounds": "30", "model": "tree"}
        on_cluster = numbers("bias-variance", {**settings, "backend": "dask", "scheduler": address})
        assert on_cluster == numbers("bias-variance", {**settings, "workers": "1"})
    finally:
        close_clusters()  # our client of that scheduler (and any embedded cluster)
        for process in (worker, scheduler):
            process.terminate()
        for process in (worker, scheduler):
            process.wait(timeout=30)


async def test_x_in_the_app_cancels_the_futures_on_the_cluster():
    from reglab.app import ReglabApp
    from reglab.snapshot import settle
    from reglab.widgets.job_status import JobStatus

    start = with_values(
        LABS["bias-variance"].params(),
        {**ON_CLUSTER, "mode": "bootstrap", "model": "tree", "rounds": "5000"},
    )
    # The app starts the cluster itself, as a user's would: under Textual, whose stderr
    # capture has no file descriptor for the worker processes to inherit.
    close_clusters()
    app = ReglabApp(warm=False, start_lab="bias-variance", start_params=start)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.current_pane
        status = pane.query_one(JobStatus)
        # Wait until units are running on the cluster: the status line counts them.
        for _ in range(600):
            await pilot.pause(0.05)
            if "· dask LocalCluster, 2 workers" in status.message:
                client = dask_client(Backend.of(start))
                if _busy(client):
                    break
        else:
            pytest.fail(f"no dask units running; status: {status.message!r}")
        await pilot.press("x")
        await settle(app, pilot)
        assert "cancelled" in status.message
        assert pane.result is None
    for _ in range(100):  # the cancel message reaches the scheduler and workers
        if not _busy(client):
            break
        time.sleep(0.1)
    assert not _busy(client), "tasks still queued or running after x"


def _busy(client: Client) -> bool:
    """Any task queued on the scheduler or executing on a worker."""
    processing = client.processing()
    executing = client.run(lambda dask_worker: dask_worker.state.executing_count)
    return any(processing.values()) or any(executing.values())
