"""The ◀ ▶ on a parameter row are buttons: a click steps the value, as ← → do."""

from __future__ import annotations

from tests.ui.helpers import ReglabApp, settle


async def test_clicking_the_arrows_steps_the_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        row = pane.query_one("#param-degree")
        assert row.has_focus and pane.params.degree == 14
        drawn = row.render().plain
        left, right = drawn.index("◀"), drawn.index("▶")
        await pilot.click(row, offset=(right, 0))
        await settle(app, pilot)
        assert pane.params.degree == 15 and pane.result.params.degree == 15
        await pilot.click(row, offset=(left, 0))
        await pilot.click(row, offset=(left, 0))
        await settle(app, pilot)
        assert pane.params.degree == 13
        await pilot.click(row, offset=(3, 0))  # on the name: focus only, no step
        await settle(app, pilot)
        assert pane.params.degree == 13
