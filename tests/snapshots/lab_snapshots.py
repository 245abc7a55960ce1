"""Shared snapshot helper: open a lab by its number key, wait for its result, compare."""

from __future__ import annotations

from reglab.app import ReglabApp
from reglab.core.registry import LABS
from reglab.snapshot import settle

SIZES = [(120, 40), (80, 24)]


def check_lab(snap_compare, lab: str, size: tuple[int, int], *keys: str) -> bool:
    """Press ``lab``'s number key, then ``keys``, let every job finish, compare the SVG."""
    number = str(list(LABS).index(lab) + 1)

    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press(number)
        await settle(pilot.app, pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot.app, pilot)

    return snap_compare(ReglabApp(warm=False), terminal_size=size, run_before=run_before)
