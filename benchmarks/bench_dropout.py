"""Dropout lab throughput: epochs/s of the reference run, measured side by side.

1. ``torch.set_num_threads(1)`` (what the lab does) against torch's default thread count,
   on the reference run (early-stops at epoch 20) and on a fixed 60-epoch run.
2. The cost of the per-epoch partial (``TrainingSnapshot``) the lab streams to live charts.
3. Headless against "with a live chart" in the training thread: a chart callback receives
   every snapshot. Pass ``--chart module:function`` (a callable taking a TrainingSnapshot)
   to measure another chart; by default a plotext 120x30 build of the loss curves stands in,
   once per epoch and throttled to 10 Hz.
4. Headless against the real live tab, in each condition of ``benchmarks/load.py`` (a quiet
   machine; a CPU-bound process beside): the app (``run_test``, 120x40) trains the same
   params in the dropout tab's worker while its charts, numbers and progress bar follow
   live, paired round by round with headless runs in the same process and condition. The
   goal (issue 12): the live tab costs <= 10 % of headless epochs/s in both conditions.
   Beside the verdict: live updates drawn per second and the app's CPU time outside the
   training thread (the tab's ``LivePacer`` keeps the latter near its budget).

Run: ``.venv/bin/python -m benchmarks dropout`` (4-5 minutes on 2 busy cores);
``--live-only`` runs only 4.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import time
import timeit
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import torch

from benchmarks.load import CONDITIONS, condition
from reglab.core.dropout import compute as dropout
from reglab.core.dropout.params import DropoutParams

ChartHook = Callable[[dropout.TrainingSnapshot], None]
REFERENCE = DropoutParams()
FIXED = replace(REFERENCE, patience=0, max_epochs=60)
ROUNDS = 3


@contextmanager
def training_threads(threads: int | None):
    saved = dropout.TRAINING_THREADS
    dropout.TRAINING_THREADS = threads
    try:
        yield
    finally:
        dropout.TRAINING_THREADS = saved


def epochs_per_second(params: DropoutParams, chart: ChartHook | None = None) -> float:
    """Wall-clock epochs/s of one whole run (data, training, test), as a user waits for it."""
    progress = None if chart is None else lambda update: chart(update.partial)
    start = time.perf_counter()
    result = dropout.run(params, progress=progress)
    return result.stopped_epoch / (time.perf_counter() - start)


def side_by_side(variants: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Median of ROUNDS, the variants interleaved so load changes hit them alike."""
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(ROUNDS):
        for name, measure in variants.items():
            samples[name].append(measure())
    return {name: statistics.median(values) for name, values in samples.items()}


def bench_threads() -> None:
    default_threads = torch.get_num_threads()
    print(f"threads: set_num_threads(1) vs torch default ({default_threads}), median of {ROUNDS}")
    for label, params in (("reference run", REFERENCE), ("60 epochs, patience 0", FIXED)):

        def with_threads(threads: int | None, params: DropoutParams = params) -> float:
            with training_threads(threads):
                return epochs_per_second(params)

        rates = side_by_side(
            {"1 thread": lambda: with_threads(1), "default": lambda: with_threads(None)}
        )
        ratio = rates["1 thread"] / rates["default"]
        print(
            f"  {label:<22} 1 thread {rates['1 thread']:6.1f} epochs/s   default "
            f"{rates['default']:6.1f} epochs/s   ratio {ratio:.2f}x"
        )


def bench_snapshot() -> None:
    split = dropout.split_data(dropout.load_dataset(REFERENCE), REFERENCE.seed, torch.device("cpu"))
    with training_threads(1):
        training = dropout._Training(REFERENCE, split, torch.device("cpu"), None)
        epoch_seconds = timeit.timeit(lambda: training.train_epoch(None), number=5) / 5
    row = training.history[-1]
    print("per-epoch partial snapshot (TrainingSnapshot):")
    for length in (20, 200, 2000):
        training.history = [replace(row, epoch=i + 1) for i in range(length)]
        seconds = min(timeit.repeat(training.snapshot, number=200, repeat=3)) / 200
        print(
            f"  history of {length:>4} epochs: {seconds * 1e6:7.1f} us = "
            f"{100 * seconds / epoch_seconds:.3f} % of one epoch ({epoch_seconds * 1e3:.1f} ms)"
        )


def plotext_chart(width: int = 120, height: int = 30) -> ChartHook:
    """A stand-in for the tab's chart: train/val loss curves, best epoch marked."""
    import plotext

    def draw(snapshot: dropout.TrainingSnapshot) -> None:
        epochs = [row.epoch for row in snapshot.history]
        plotext.clear_figure()
        plotext.plotsize(width, height)
        plotext.plot(epochs, [row.train_loss for row in snapshot.history], label="train")
        plotext.plot(epochs, [row.val_loss for row in snapshot.history], label="validation")
        if snapshot.best_epoch:
            plotext.vline(snapshot.best_epoch)
        plotext.build()

    return draw


def throttled(chart: ChartHook, hz: float) -> ChartHook:
    """Draw at most ``hz`` times a second, as the app should (never per batch)."""
    last = [-1.0]

    def draw(snapshot: dropout.TrainingSnapshot) -> None:
        now = time.perf_counter()
        if now - last[0] >= 1 / hz:
            last[0] = now
            chart(snapshot)

    return draw


def load_chart(spec: str) -> ChartHook:
    """``module:function`` -> the callable; plug the real tab's chart in here."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def bench_chart(chart: ChartHook, label: str) -> None:
    print(
        f"headless vs live chart ({label}), {FIXED.max_epochs} epochs, patience 0, "
        f"median of {ROUNDS}:"
    )
    rates = side_by_side(
        {
            "headless": lambda: epochs_per_second(FIXED),
            "chart every epoch": lambda: epochs_per_second(FIXED, chart),
            "chart at 10 Hz": lambda: epochs_per_second(FIXED, throttled(chart, 10)),
        }
    )
    for name, rate in rates.items():
        cost = 100 * (1 - rate / rates["headless"])
        print(f"  {name:<18} {rate:6.1f} epochs/s   throughput cost {cost:5.1f} %")


async def open_dropout_tab(app, pilot):
    """The app's dropout tab, its first (default) training finished."""
    from reglab.labs.dropout import DropoutPane
    from reglab.snapshot import settle

    await settle(app, pilot)
    app.screen.set_focus(None)  # a focused control in the hidden tab would pull it back
    app.show_lab("dropout")
    while not (app.query(DropoutPane) and app.query_one(DropoutPane).started):
        await pilot.pause()
    await settle(app, pilot)
    return app.query_one(DropoutPane)


LIVE_GOAL = 10.0  # % of headless epochs/s the live tab may cost, in each condition
LIVE_ROUNDS = 9


@dataclass
class LiveSamples:
    """One condition's interleaved runs: epochs/s headless and in the tab, round by round;
    for the tab also the live updates drawn and the app's CPU time outside the training
    thread, each per second of training."""

    headless: list[float] = field(default_factory=list)
    tab: list[float] = field(default_factory=list)
    updates: list[float] = field(default_factory=list)
    app_cpu: list[float] = field(default_factory=list)

    @property
    def cost(self) -> float:
        """Median over rounds of the tab's throughput loss against the headless run beside
        it: pairing adjacent runs cancels slow drifts in what else the machine runs."""
        return statistics.median(
            100 * (1 - tab / headless)
            for tab, headless in zip(self.tab, self.headless, strict=True)
        )


def other_threads_cpu() -> float:
    """CPU seconds this process has spent outside the calling thread (the training's)."""
    return time.process_time() - time.thread_time()


@dataclass
class TabRun:
    """What the instrumented tab measured of its newest training."""

    epochs_per_second: float = 0.0
    seconds: float = 0.0
    app_cpu: float = 0.0  # CPU seconds outside the training thread meanwhile
    updates: int = 0  # live updates drawn meanwhile


async def live_tab_samples(
    params: DropoutParams, conditions: Sequence[str], rounds: int
) -> dict[str, LiveSamples]:
    """Headless and tab runs of ``params`` interleaved, ``rounds`` pairs per condition.

    Headless: ``dropout.run`` called on the event loop's own thread, so nothing else in the
    process runs meanwhile (what ``reglab run`` does). Tab: the dropout tab's worker trains
    while its charts, numbers and progress bar follow live. Each run is timed around the
    whole ``run`` (data, training, test); each pair alternates its order. While the tab
    trains nothing polls the app (a ``Pilot.pause`` walks every widget and forces a screen
    update: the harness's own UI work would count as the tab's).
    """
    from reglab.app import ReglabApp
    from reglab.snapshot import settle
    from reglab.widgets.param_panel import ParamPanel

    app = ReglabApp(warm=False)
    samples = {name: LiveSamples() for name in conditions}
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_dropout_tab(app, pilot)
        loop = asyncio.get_running_loop()
        newest = TabRun()
        trained = asyncio.Event()
        compute, show_progress = pane.runner.compute, pane.show_progress

        def timed(job_params, progress, cancelled):
            start, cpu = time.perf_counter(), other_threads_cpu()
            newest.updates = 0
            try:
                result = compute(job_params, progress, cancelled)
            finally:
                loop.call_soon_threadsafe(trained.set)
            newest.seconds = time.perf_counter() - start
            newest.app_cpu = other_threads_cpu() - cpu
            newest.epochs_per_second = result.stopped_epoch / newest.seconds
            return result

        def counted(progress) -> None:
            newest.updates += progress.partial is not None
            show_progress(progress)

        pane.runner.compute = timed
        pane.show_progress = counted
        pane.query_one(ParamPanel).set_params(params, changed="all")
        await settle(app, pilot)

        async def in_tab(runs: LiveSamples) -> None:
            trained.clear()
            pane.refit()
            await trained.wait()
            await settle(app, pilot)
            runs.tab.append(newest.epochs_per_second)
            runs.updates.append(newest.updates / newest.seconds)
            runs.app_cpu.append(100 * newest.app_cpu / newest.seconds)

        for name, runs in samples.items():
            with condition(name):
                for round_ in range(rounds):
                    if round_ % 2:
                        await in_tab(runs)
                    runs.headless.append(epochs_per_second(params))
                    if not round_ % 2:
                        await in_tab(runs)
        await pilot.press("q")
    return samples


def bench_live_tab(conditions: Sequence[str] = CONDITIONS, rounds: int = LIVE_ROUNDS) -> None:
    """The real tab against headless, in a quiet and a loaded condition."""
    print(
        f"headless vs the live dropout tab (app at 120x40: two live charts, numbers, progress "
        f"bar), {FIXED.max_epochs} epochs, patience 0, {rounds} pairs per condition, "
        f"goal: the tab costs <= {LIVE_GOAL:g} % of headless epochs/s:"
    )
    samples = asyncio.run(live_tab_samples(FIXED, conditions, rounds))
    for name, runs in samples.items():
        verdict = "met" if runs.cost <= LIVE_GOAL else "MISSED"
        print(
            f"  {name:<6} headless {statistics.median(runs.headless):5.1f} epochs/s   tab "
            f"{statistics.median(runs.tab):5.1f} epochs/s   "
            f"{statistics.median(runs.updates):4.1f} live updates/s   app CPU outside "
            f"training {statistics.median(runs.app_cpu):4.1f} %   "
            f"live-tab cost {runs.cost:5.1f} % (goal <= {LIVE_GOAL:g} %: {verdict})"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--chart",
        metavar="MODULE:FUNCTION",
        help="chart callback taking a TrainingSnapshot (default: plotext stand-in)",
    )
    parser.add_argument(
        "--live-only", action="store_true", help="only the live tab against headless (4.)"
    )
    parser.add_argument(
        "--rounds", type=int, default=LIVE_ROUNDS, help="headless/tab pairs per condition"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    dropout.warm_up()
    dropout.run(replace(REFERENCE, max_epochs=2))  # first-call costs out of the way
    print(f"dropout lab, device {dropout.resolve_device(REFERENCE.device)}, reference params")
    if not args.live_only:
        bench_threads()
        bench_snapshot()
        if args.chart:
            bench_chart(load_chart(args.chart), args.chart)
        else:
            bench_chart(plotext_chart(), "plotext 120x30 stand-in in the training thread")
    bench_live_tab(rounds=args.rounds)
    print(f"total {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
