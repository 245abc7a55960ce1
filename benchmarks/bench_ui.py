"""UI responsiveness, measured side by side in one run.

1. Time to first painted frame: reglab vs a bare Textual hello-world, each in a fresh
   interpreter (median of several starts), and which heavy modules were loaded by then.
2. Key press -> updated chart latency (p50/p95) on the overfitting and penalties labs.
3. The event loop's worst lag while refits run (a 5 ms ticker measures how late it fires).

Goals from issue 3: first paint <= 1.5x hello-world with no sklearn/torch loaded; p95 key
-> chart <= 100 ms; worst loop lag <= 50 ms.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time

STARTS = 5
PRESSES = 30

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


def first_paint(kind: str) -> tuple[float, list[str]]:
    """Median seconds from interpreter start-up code to the first painted frame."""
    runs = []
    for _ in range(STARTS):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT_PROBE.format(kind=kind)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return statistics.median(r["seconds"] for r in runs), runs[-1]["heavy"]


async def key_latencies(lab: str, keys: list[str]) -> list[float]:
    """Seconds from a key event until every chart of the lab has rendered the new result.

    Keys go through the driver as a terminal's would (``Pilot.press`` also waits for the
    process to go CPU-idle, which would count the wait, not the app). Chart renders are
    timestamped by wrapping ``Chart.render``.
    """
    from textual import events

    from reglab.app import ReglabApp
    from reglab.snapshot import settle
    from reglab.widgets.chart import Chart

    rendered_at: dict[int, float] = {}
    original_render = Chart.render

    def timed_render(chart):
        output = original_render(chart)
        rendered_at[id(chart)] = time.perf_counter()
        return output

    Chart.render = timed_render
    app = ReglabApp(warm=True)  # as a user runs it: warm-up imports, then gc.freeze()
    latencies = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.show_lab(lab)
            await settle(app, pilot)
            await app.workers.wait_for_complete()
            pane = app.current_pane
            charts = list(pane.query(Chart))
            for index in range(PRESSES):
                draws_before = [c._draw for c in charts]
                started = time.perf_counter()
                app._driver.send_message(events.Key(keys[index % len(keys)], None))
                while not (
                    pane.idle
                    and all(
                        c._draw is not old and rendered_at.get(id(c), 0) > started
                        for c, old in zip(charts, draws_before, strict=True)
                    )
                ):
                    await asyncio.sleep(0.001)
                latencies.append(max(rendered_at[id(c)] for c in charts) - started)
    finally:
        Chart.render = original_render
    return latencies


async def worst_loop_lag(lab: str, keys: list[str]) -> float:
    """The largest delay of a 5 ms ticker on the UI loop while refits run back to back."""
    from reglab.app import ReglabApp
    from reglab.snapshot import settle

    app = ReglabApp(warm=True)
    worst = 0.0
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_lab(lab)
        await settle(app, pilot)
        await app.workers.wait_for_complete()  # warm-up imports done, heap frozen
        loop = asyncio.get_running_loop()
        running = True

        async def ticker() -> None:
            nonlocal worst
            while running:
                expected = loop.time() + 0.005
                await asyncio.sleep(0.005)
                worst = max(worst, loop.time() - expected)

        task = asyncio.create_task(ticker())
        for index in range(PRESSES):
            app.current_pane.query_one("ParamPanel").rows[0].action_step(
                1 if keys[index % len(keys)] == "right" else -1
            )
            await asyncio.sleep(0.02)
        await settle(app, pilot)
        running = False
        await task
    return worst


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    print("== UI responsiveness (bench_ui) ==")
    hello, _ = first_paint("hello")
    ours, heavy = first_paint("reglab")
    verdict = "met" if ours <= 1.5 * hello and not heavy else "MISSED"
    print(
        f"first paint: hello-world {hello * 1000:.0f} ms, reglab {ours * 1000:.0f} ms, "
        f"ratio {ours / hello:.2f}x (goal <= 1.5x) {verdict}; heavy modules loaded before "
        f"paint: {heavy or 'none'}"
    )
    for lab, keys in (("overfitting", ["left", "right"]), ("penalties", ["left", "right"])):
        latencies = asyncio.run(key_latencies(lab, keys))
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        verdict = "met" if p95 <= 0.1 else "MISSED"
        print(
            f"key -> chart on {lab}: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
            f"over {len(latencies)} presses (goal p95 <= 100 ms) {verdict}"
        )
    for lab in ("overfitting", "penalties"):
        lag = asyncio.run(worst_loop_lag(lab, ["right", "left"]))
        verdict = "met" if lag <= 0.05 else "MISSED"
        print(
            f"worst event-loop lag during {lab} refits: {lag * 1000:.0f} ms "
            f"(goal <= 50 ms) {verdict}"
        )


if __name__ == "__main__":
    main()
