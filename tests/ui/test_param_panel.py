"""The parameter controls by keyboard: steps, big steps, resets, typed values, auto."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.helpers import ReglabApp, focused_row, metric_text, settle


async def test_rapid_presses_end_on_the_last_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        shown = []
        original = pane.show_result
        pane.show_result = lambda result: (shown.append(result.params.degree), original(result))
        await pilot.press("left", "left", "left", "left", "left", "left", "left", "left")
        await settle(app, pilot)
        assert pane.params.degree == 6
        assert pane.result.params == pane.params
        # Whatever was shown along the way, the last picture is of the newest params.
        assert shown and shown[-1] == pane.params.degree
        assert f"{pane.result.train_mse:.4f}" in metric_text(app)


async def test_shift_arrow_takes_a_decade_and_r_resets():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        await pilot.press("down")
        assert focused_row(app).param_name == "alpha"
        await pilot.press("shift+right")
        await settle(app, pilot)
        assert pane.params.alpha == 10.0 and pane.result.params.alpha == 10.0
        await pilot.press("r")
        await settle(app, pilot)
        assert pane.params.alpha == 1.0 and pane.result.params.alpha == 1.0


async def test_typed_value_applies_and_a_bad_one_is_kept_for_fixing():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        await pilot.press("down", "enter")
        editor = app.focused
        assert isinstance(editor, Input)
        editor.value = ""
        await pilot.press(*"abc", "enter")
        assert isinstance(app.focused, Input) and app.focused.value == "abc"
        assert pane.params.alpha == 0.0
        assert any("alpha:" in n.message for n in app._notifications)
        app.focused.value = ""
        await pilot.press(*"2.5", "enter")
        await settle(app, pilot)
        assert pane.params.alpha == 2.5 and pane.result.params.alpha == 2.5
        assert focused_row(app).param_name == "alpha"
        await pilot.press("enter", "escape")
        assert focused_row(app).param_name == "alpha" and pane.params.alpha == 2.5


async def test_stepping_from_auto_starts_at_the_effective_value():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        pane = app.current_pane
        assert pane.params.max_depth == "auto" and pane.result.params.max_depth == 5
        await pilot.press("down", "right")
        await settle(app, pilot)
        assert pane.params.max_depth == 6 and pane.result.params.max_depth == 6
