"""Shared snapshot helper: open the app on a lab, wait for its result, compare the SVG."""

from __future__ import annotations

from reglab.app import ReglabApp
from reglab.snapshot import settle

SIZES = [(120, 40), (80, 24)]


def check_lab(snap_compare, lab: str, size: tuple[int, int], *keys: str) -> bool:
    """Show ``lab``, press ``keys``, let every job finish, then compare with the snapshot."""

    async def run_before(pilot) -> None:
        pilot.app.show_lab(lab)
        await settle(pilot.app, pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot.app, pilot)

    return snap_compare(ReglabApp(warm=False), terminal_size=size, run_before=run_before)
