"""The command palette: each lab once, and every keyed action, lab-specific ones included."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from reglab.core.registry import LABS
from reglab.screens.palette import Palette
from tests.ui.helpers import ReglabApp, settle


async def palette_entries(app: ReglabApp, pilot, query: str = "") -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    if query:
        await pilot.press(*query)
    for _ in range(50):  # the palette gathers hits asynchronously
        await pilot.pause(0.02)
        options = app.screen.query_one(CommandList)
        if options.option_count:
            break
    entries = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    await pilot.press("escape")
    return entries


async def test_an_empty_query_lists_each_lab_once_and_the_actions(tmp_path):
    app = ReglabApp(warm=False, keymap_file=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        # Each entry is its title, then its help on the next line.
        titles = [entry.splitlines()[0] for entry in await palette_entries(app, pilot)]
        for lab in LABS.values():
            assert titles.count(f"Lab: {lab.title}") == 1
        for action in ("Export (e)", "Cancel (x)", "Reset all (R)", "Keys (?)"):
            assert action in titles


async def test_lab_actions_are_found_by_their_words():
    app = ReglabApp(warm=False, keymap_file=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for lab, word, found in (
            ("classification", "grid", "Grid mode (g)"),
            ("dropout", "compare", "Compare (c)"),
            ("dropout", "stop", "Stop (k)"),
        ):
            app.show_lab(lab)
            await settle(app, pilot)
            assert any(found in entry for entry in await palette_entries(app, pilot, word))


async def test_a_keymap_file_rebinds_a_key_and_a_broken_one_is_reported(tmp_path):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keymap]\n"app.cancel" = "z"\n')
    app = ReglabApp(warm=False, keymap_file=keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert any("Cancel (z)" in entry for entry in await palette_entries(app, pilot))
        bound = {key: active.binding.action for key, active in app.active_bindings.items()}
        assert bound.get("z") == "cancel" and "x" not in bound
    keymap.write_text("[keymap\n")
    app = ReglabApp(warm=False, keymap_file=keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("cannot read the keymap" in m for m in messages)


async def test_a_palette_already_answered_closes_on_escape_without_answering_twice():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert palette.id == "--command-palette"
        palette._result_callbacks[-1].future.set_result(None)  # as the fuzz once caught it
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not palette and len(app.screen_stack) == 1


async def test_the_theme_search_is_our_guarded_palette_and_closes_on_escape():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.search_themes()
        await pilot.pause()
        themes = app.screen
        assert isinstance(themes, Palette)
        await pilot.press("escape", "escape")  # a burst: the second must find nothing to close
        await pilot.pause()
        assert app.screen is not themes and len(app.screen_stack) == 1
