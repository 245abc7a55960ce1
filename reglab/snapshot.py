"""``reglab snapshot``: an SVG of every lab, headless, at fixed terminal sizes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from reglab.core.errors import ReglabError
from reglab.core.files import write_text_atomic

SETTLE_TIMEOUT = 120.0


async def settle(app, pilot, timeout: float = SETTLE_TIMEOUT) -> None:
    """Wait until every started lab has shown its newest result (or failed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.labs_idle:
            # The tab underline slides to a newly active tab: let it land. Then repaint
            # everything at once, so the picture does not depend on which partial updates
            # came before it (they split runs of equal style differently in the SVG).
            await app.animator.wait_until_complete()
            app.screen.refresh(layout=True)
            await pilot.pause()
            return
        if loop.time() > deadline:
            raise TimeoutError(f"labs did not finish computing in time: {pending(app)}")


def pending(app) -> str:
    """What keeps the app from being idle: busy labs and charts still drawing."""
    from reglab.widgets.chart import Chart

    parts = [
        f"{pane.lab.name} (busy {pane.runner.busy}, generation {pane.settled_generation}"
        f" of {pane.runner.generation})"
        for pane in app.panes
        if pane.started and not pane.idle
    ]
    parts += [f"chart {chart.chart_title!r} drawing" for chart in app.query(Chart) if chart.drawing]
    return "; ".join(parts) or "nothing pending"


def parse_size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ReglabError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 120x40")
    return int(width), int(height)


async def _snapshots(folder: Path, size: tuple[int, int], force: bool) -> list[Path]:
    from reglab.app import ReglabApp
    from reglab.core.registry import LABS

    app = ReglabApp(warm=False)
    app.animation_level = "none"  # a still picture: no tab underline caught mid-slide
    written = []
    async with app.run_test(size=size) as pilot:
        for lab in LABS:
            app.show_lab(lab)
            await settle(app, pilot)
            name = f"{lab}-{size[0]}x{size[1]}.svg"
            written.append(write_text_atomic(folder / name, app.export_screenshot(), force=force))
    return written


def write_snapshots(out: str, sizes: list[str], force: bool = False) -> int:
    """Write the SVGs into ``out``; an existing file is kept (a -1, -2 ... name is used)
    unless ``force``."""
    folder = Path(out)
    for size in map(parse_size, sizes):
        for path in asyncio.run(_snapshots(folder, size, force)):
            print(path)
    return 0
