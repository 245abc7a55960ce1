"""UI responsiveness, measured side by side in one run, on a quiet machine and with a
CPU-bound process beside the app (``benchmarks.load``).

1. First paint: reglab against a bare Textual hello-world, each in a fresh interpreter
   (median of several starts, the two taking turns; bytecode compiled first, as on a
   user's second start).
2. Key -> updated chart, p50/p95, on the fast labs (goal p95 <= 50 ms quiet, <= 100 ms
   loaded). A chart counts as updated once the compositor has rendered its new picture.
3. The event loop's worst lag (a 5 ms ticker) during every lab's heaviest job (goal <= 50 ms).
4. 50 keys/s for 2 s on a fast lab: the last key's value is on screen within 200 ms.
5. Cold CLI: ``reglab run penalties --json`` against importing what it needs from
   scikit-learn (goal <= 1.2x), the two taking turns.
"""

from __future__ import annotations

import asyncio
import compileall
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.load import CONDITIONS, condition

STARTS = 9  # fresh interpreters per side, alternating (cold starts swing by 10-20 %)
PRESSES = 30
ROOT = Path(__file__).resolve().parent.parent

FIRST_PAINT_PROBE = """
import sys, time, json
started = time.perf_counter()
from textual.app import App
from textual.widgets import Static
KIND = {kind!r}
if KIND == "reglab":
    from reglab.app import ReglabApp as Base
else:
    class Base(App):
        def compose(self):
            yield Static("Hello, world")
class Probe(Base):
    def on_mount(self):
        # Queued before reglab's own after-paint hook, which starts the first fit.
        self.call_after_refresh(self.painted)
        if KIND == "reglab":
            super().on_mount()
    def painted(self):
        heavy = [m for m in ("sklearn", "torch") if m in sys.modules]
        self.exit(json.dumps({{"seconds": time.perf_counter() - started, "heavy": heavy}}))
print(Probe().run(headless=True, size=(120, 40)))
"""

# Each lab's heaviest job that a user reaches with a few keys, set on the panel at once.
HEAVIEST = {
    "overfitting": {"degree": 14},
    "penalties": {"model": "elasticnet"},
    "classification": {"grid": True},
    "trees": {"model": "boosting"},
    "dropout": {"max_epochs": 30, "patience": 0},
    "lambda": {"model": "logistic"},
    "bias-variance": {"model": "tree", "mode": "bootstrap"},
    "production": {},
}
FAST_LABS = ("overfitting", "penalties")


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def first_paint() -> tuple[float, float, list[str]]:
    """Median seconds from interpreter start-up code to the first painted frame: of the
    hello-world, of reglab, and what heavy modules reglab had loaded by then."""
    runs: dict[str, list[dict]] = {"hello": [], "reglab": []}
    for _ in range(STARTS):
        for kind, kind_runs in runs.items():
            done = subprocess.run(
                [sys.executable, "-c", FIRST_PAINT_PROBE.format(kind=kind)],
                capture_output=True,
                text=True,
                check=True,
            )
            kind_runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    hello, ours = (statistics.median(r["seconds"] for r in runs[k]) for k in runs)
    return hello, ours, runs["reglab"][-1]["heavy"]


def cold_cli() -> tuple[float, float]:
    """Median seconds of ``reglab run penalties --json`` and of the bare sklearn import, the
    two taking turns: a burst of load, or the machine's drift, falls on both alike."""
    commands = {
        "ours": [sys.executable, "-m", "reglab", "run", "penalties", "--json"],
        "bare": [sys.executable, "-c", "import sklearn.linear_model, sklearn.model_selection"],
    }
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(STARTS):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            seconds[name].append(time.perf_counter() - started)
    return statistics.median(seconds["ours"]), statistics.median(seconds["bare"])


class ChartClock:
    """Times when each chart's picture reached the screen (the compositor rendered it)."""

    def __init__(self) -> None:
        from reglab.widgets.chart import Chart

        self.chart_class = Chart
        self.rendered: dict[int, tuple[float, int]] = {}
        self.original = Chart.render
        clock = self

        def timed_render(chart):
            output = clock.original(chart)
            clock.rendered[id(chart)] = (time.perf_counter(), chart._shown)
            return output

        Chart.render = timed_render

    def restore(self) -> None:
        self.chart_class.render = self.original

    def visible(self, pane) -> list:
        return [c for c in pane.query(self.chart_class) if c.display and c.size.area]

    def on_screen(self, charts: list, shown_before: list[int]) -> float | None:
        """When the last of ``charts`` rendered a newer picture than ``shown_before``."""
        times = []
        for chart, before in zip(charts, shown_before, strict=True):
            at, shown = self.rendered.get(id(chart), (0.0, 0))
            if chart.drawing or chart._shown <= before or shown != chart._shown:
                return None
            times.append(at)
        return max(times)


async def opened(app, pilot, lab: str):
    from reglab.snapshot import settle

    app.show_lab(lab)
    await settle(app, pilot)
    if app.warm_up is not None:  # warm-up imports done, heap frozen
        await asyncio.to_thread(app.warm_up.join)
    await settle(app, pilot)
    return app.current_pane


async def key_latencies(lab: str) -> list[float]:
    """Seconds from a key event (sent through the driver, as a terminal's would be) until
    every visible chart of the lab shows the new result."""
    from textual import events

    from reglab.app import ReglabApp

    clock = ChartClock()
    latencies = []
    try:
        app = ReglabApp(warm=True)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = await opened(app, pilot, lab)
            charts = clock.visible(pane)
            for index in range(PRESSES):
                before = [c._shown for c in charts]
                started = time.perf_counter()
                app._driver.send_message(events.Key("right" if index % 2 else "left", None))
                while not pane.idle or (done := clock.on_screen(charts, before)) is None:
                    await asyncio.sleep(0.001)
                latencies.append(done - started)
    finally:
        clock.restore()
    return latencies


async def worst_loop_lag(lab: str) -> float:
    """The largest delay of a 5 ms ticker on the UI loop while the lab's heaviest job runs
    and its charts are drawn."""
    from dataclasses import replace

    from reglab.app import ReglabApp
    from reglab.snapshot import settle

    app = ReglabApp(warm=True)
    worst = 0.0
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await opened(app, pilot, lab)
        loop = asyncio.get_running_loop()
        running = True

        async def ticker() -> None:
            nonlocal worst
            while running:
                expected = loop.time() + 0.005
                await asyncio.sleep(0.005)
                worst = max(worst, loop.time() - expected)

        task = asyncio.create_task(ticker())
        pane.refit(replace(pane.params, **HEAVIEST[lab], seed=pane.params.seed + 1))
        await settle(app, pilot)
        running = False
        await task
    return worst


async def settle_after_burst(lab: str, rate: float = 50.0, seconds: float = 2.0) -> float:
    """Keys at ``rate`` per second for ``seconds``; then the time from the last key until
    the panel's last value is the result every chart shows."""
    from textual import events

    from reglab.app import ReglabApp

    clock = ChartClock()
    try:
        app = ReglabApp(warm=True)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = await opened(app, pilot, lab)
            charts = clock.visible(pane)
            before = [c._shown for c in charts]
            keys = int(rate * seconds)
            for index in range(keys):
                # Up and down the first knob: the last key leaves a value of its own.
                key = "right" if (index // 5) % 2 == 0 else "left"
                app._driver.send_message(events.Key(key, None))
                last_key = time.perf_counter()
                await asyncio.sleep(1 / rate)
            while not (
                pane.idle
                and pane.result is not None
                and pane.result.params == pane.params.effective()
                and (done := clock.on_screen(charts, before)) is not None
                and done > last_key
            ):
                await asyncio.sleep(0.001)
            return done - last_key
    finally:
        clock.restore()


def compile_bytecode() -> None:
    """A user's second start reads compiled bytecode; this environment may forbid writing it
    (PYTHONDONTWRITEBYTECODE), so compile reglab once, as ``pip install`` would."""
    compileall.compile_dir(ROOT / "reglab", quiet=1)


def main() -> None:
    print("== UI responsiveness (bench_ui) ==")
    compile_bytecode()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    for name in CONDITIONS:
        print(f"\n-- {name} machine --")
        with condition(name):
            hello, ours, heavy = first_paint()
            print(
                f"first paint: hello-world {hello * 1000:.0f} ms, reglab {ours * 1000:.0f} ms, "
                f"ratio {ours / hello:.2f}x (goal <= 1.5x, no sklearn/torch before paint) "
                f"{verdict(ours <= 1.5 * hello and not heavy)}; loaded first: {heavy or 'none'}"
            )
            goal = 0.05 if name == "quiet" else 0.1
            for lab in FAST_LABS:
                latencies = asyncio.run(key_latencies(lab))
                p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
                print(
                    f"key -> chart on {lab}: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
                    f"over {len(latencies)} keys (goal p95 <= {goal * 1000:.0f} ms) "
                    f"{verdict(p95 <= goal)}"
                )
            for lab in HEAVIEST:
                lag = asyncio.run(worst_loop_lag(lab))
                print(
                    f"worst event-loop lag during {lab}'s heaviest job "
                    f"{HEAVIEST[lab] or '(defaults)'}: {lag * 1000:.0f} ms (goal <= 50 ms) "
                    f"{verdict(lag <= 0.05)}"
                )
            for lab in FAST_LABS:
                tail = asyncio.run(settle_after_burst(lab))
                print(
                    f"50 keys/s for 2 s on {lab}: last value on screen {tail * 1000:.0f} ms "
                    f"after the last key (goal <= 200 ms) {verdict(tail <= 0.2)}"
                )
            ours_cli, bare = cold_cli()
            print(
                f"cold CLI: reglab run penalties --json {ours_cli * 1000:.0f} ms, bare "
                f"scikit-learn import {bare * 1000:.0f} ms, ratio {ours_cli / bare:.2f}x "
                f"(goal <= 1.2x) {verdict(ours_cli <= 1.2 * bare)}"
            )


if __name__ == "__main__":
    main()
