"""Loading a CSV into a lab through its form: path with completion, target, columns to drop."""

from __future__ import annotations

import random

from textual.widgets import Input, OptionList, Static

from reglab.core.spec import with_values
from reglab.widgets.csv_form import CsvForm, DropList, PathSuggester, complete_path, path_problem
from reglab.widgets.param_panel import ParamPanel
from tests.fuzz.driver import TAB_KEYS, FuzzApp, key_pool, send_keys

from .helpers import ReglabApp, focused_row, open_lab, settle

COLUMNS = ("size", "rooms", "price", "age")  # the target, price, is not the last column


def write_csv(path, rows: int = 40) -> None:
    rng = random.Random(0)
    lines = [",".join(COLUMNS)]
    for _ in range(rows):
        size, rooms, age = rng.uniform(30, 200), rng.randint(1, 6), rng.uniform(0, 80)
        price = 3 * size + 10 * rooms - age + rng.gauss(0, 5)
        lines.append(f"{size:.2f},{rooms},{price:.2f},{age:.1f}")
    path.write_text("\n".join(lines) + "\n")


async def go_to_row(app, pilot, name: str) -> None:
    for _ in range(20):
        if focused_row(app).param_name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"no row {name}")


async def open_form_by_choosing_csv(app, pilot):
    """On the penalties tab, step dataset from synthetic to csv (it wraps round to the last
    choice); return the pane and the form that opens."""
    pane = await open_lab(app, pilot, "penalties")
    await go_to_row(app, pilot, "dataset")
    assert pane.params.dataset == "synthetic"
    await pilot.press("left")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, CsvForm), f"{form!r} instead of the CSV form"
    return pane, form


def status(form: CsvForm) -> str:
    return str(form.query_one("#csv-status", Static).render())


async def type_path(pilot, form: CsvForm, text: str) -> None:
    assert form.focused is form.path_input
    await pilot.press(*text)
    assert form.path_input.value == text


async def test_choosing_csv_opens_the_form_and_loading_refits_on_the_file(tmp_path):
    path = tmp_path / "houses.csv"
    write_csv(path)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane, form = await open_form_by_choosing_csv(app, pilot)
        assert not [n for n in app._notifications if n.title == "Not allowed"]
        assert pane.params.dataset == "synthetic"  # nothing changes until the form answers
        await type_path(pilot, form, str(path))
        assert form.columns == list(COLUMNS)
        await pilot.press("enter")  # on to the target list, the last column highlighted
        assert form.focused is form.target_list and form.target == "age"
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, CsvForm)
        params = pane.params
        assert (params.dataset, params.data, params.target, params.drop) == (
            "csv",
            str(path),
            "price",
            "",
        )
        assert pane.result.params.data == str(path)
        assert pane.result.feature_names == ["size", "rooms", "age"]
        assert focused_row(app).param_name == "dataset"


async def test_marked_columns_are_dropped(tmp_path):
    path = tmp_path / "houses.csv"
    write_csv(path)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane, form = await open_form_by_choosing_csv(app, pilot)
        await type_path(pilot, form, str(path))
        await pilot.press("enter", "up")  # target: price
        drops = form.query_one(DropList)
        assert [option.prompt.plain for option in drops.options] == ["size", "rooms", "age"]
        await pilot.press("tab")
        assert form.focused is drops
        await pilot.press("down", "space")  # mark rooms
        assert status(form) == "4 columns · target price · drop rooms"
        await pilot.press("enter")
        await settle(app, pilot)
        assert pane.params.target == "price" and pane.params.drop == "rooms"
        assert pane.result.feature_names == ["size", "age"]


async def test_a_column_marked_then_made_the_target_is_not_dropped(tmp_path):
    path = tmp_path / "houses.csv"
    write_csv(path)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane, form = await open_form_by_choosing_csv(app, pilot)
        await type_path(pilot, form, str(path))
        await pilot.press("enter", "tab", "space")  # target age; mark size
        await pilot.press("shift+tab", "up", "up", "up")  # the target becomes size
        assert form.target == "size"
        await pilot.press("down", "enter")  # target rooms: size is marked again
        await settle(app, pilot)
        assert pane.params.target == "rooms" and pane.params.drop == "size"


async def test_escape_cancels_and_changes_nothing(tmp_path):
    path = tmp_path / "houses.csv"
    write_csv(path)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane, form = await open_form_by_choosing_csv(app, pilot)
        before, shown = pane.params, pane.result
        await type_path(pilot, form, str(path))
        await pilot.press("enter", "up", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, CsvForm)
        assert pane.params is before and pane.params.dataset == "synthetic"
        assert pane.result is shown
        assert focused_row(app).param_name == "dataset"


async def test_a_missing_path_or_a_folder_is_said_in_the_form(tmp_path):
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane, form = await open_form_by_choosing_csv(app, pilot)
        before = pane.params
        missing = str(tmp_path / "nowhere.csv")
        await type_path(pilot, form, missing)
        await pilot.press("enter")
        assert app.screen is form and form.path_input.value == missing
        assert status(form) == f"no such file: {missing}"
        assert form.query_one("#csv-status").has_class("-problem")
        form.path_input.value = str(tmp_path)
        await pilot.click("#csv-load")
        await pilot.pause()
        assert app.screen is form
        assert status(form) == f"{tmp_path} is a folder; give the path of a CSV file"
        (tmp_path / "empty.csv").write_text("")
        form.set_focus(form.path_input)
        form.path_input.value = str(tmp_path / "empty.csv")
        await pilot.press("enter")
        assert app.screen is form and "has no columns" in status(form)
        assert pane.params is before
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_enter_on_target_opens_the_form_prefilled(tmp_path):
    path = tmp_path / "houses.csv"
    write_csv(path)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "penalties")
        panel = pane.query_one(ParamPanel)
        panel.set_params(with_values(panel.params, {"data": str(path), "target": "price"}), "")
        await settle(app, pilot)
        await go_to_row(app, pilot, "target")
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, CsvForm)
        assert form.path_input.value == str(path)
        assert form.focused is form.target_list and form.target == "price"
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert pane.params.data == str(path) and pane.params.target == "age"
        assert pane.result.feature_names == ["size", "rooms", "price"]


async def test_typing_csv_for_dataset_opens_the_form():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "penalties")
        await go_to_row(app, pilot, "dataset")
        await pilot.press("enter")
        editor = app.focused
        assert isinstance(editor, Input)
        editor.value = ""
        await pilot.press(*"csv", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CsvForm)
        await pilot.press("escape")
        await pilot.pause()
        assert pane.params.dataset == "synthetic"
        assert not [n for n in app._notifications if n.title == "Not allowed"]


def make_tree(root) -> None:
    (root / "measurements.csv").write_text("a,b\n")
    (root / "notes.md").write_text("")
    (root / "more").mkdir()
    (root / ".hidden.csv").write_text("")


def test_paths_complete_to_folders_and_data_files(tmp_path, monkeypatch):
    make_tree(tmp_path)
    root = str(tmp_path)
    assert complete_path(root + "/mea") == root + "/measurements.csv"
    assert complete_path(root + "/mo") == root + "/more/"
    assert complete_path(root + "/m") == root + "/measurements.csv"  # the first by name
    assert complete_path(root + "/no") is None  # not a data file
    assert complete_path(root + "/measurements.csv") is None  # nothing left to add
    assert complete_path(root + "/.h") == root + "/.hidden.csv"
    assert complete_path(root + "/") == root + "/measurements.csv"  # no hidden name
    assert complete_path(root + "/absent/x") is None
    assert complete_path("mea", cwd=tmp_path) == "measurements.csv"
    monkeypatch.setenv("HOME", root)
    assert complete_path("~/mo") == "~/more/"
    assert complete_path("~") == "~/"


def test_a_path_the_system_refuses_is_one_line():
    assert path_problem("a" * 300).startswith("cannot read aaa")  # a name too long
    assert path_problem("~no-such-user-here/x.csv") == "no such file: ~no-such-user-here/x.csv"
    assert complete_path("~no-such-user-here/x") is None
    assert path_problem("") == "type the path of a CSV file"


async def test_the_suggester_completes_a_prefix(tmp_path):
    make_tree(tmp_path)
    suggester = PathSuggester(cwd=tmp_path)
    assert await suggester.get_suggestion("meas") == "measurements.csv"
    assert await suggester.get_suggestion("zzz") is None


async def test_tab_accepts_the_completion_in_the_path_box(tmp_path):
    write_csv(tmp_path / "houses.csv")
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        _, form = await open_form_by_choosing_csv(app, pilot)
        prefix = str(tmp_path / "hou")
        await type_path(pilot, form, prefix)
        await pilot.pause()
        await pilot.press("tab")
        assert form.path_input.value == str(tmp_path / "houses.csv")
        assert form.focused is form.path_input  # it completed instead of moving on
        assert form.columns == list(COLUMNS)
        await pilot.press("tab")  # nothing left to complete: on to the target list
        assert form.focused is form.target_list


async def test_a_lab_that_cannot_drop_columns_is_offered_none(tmp_path):
    path = tmp_path / "houses.csv"
    write_csv(path)
    answers = []
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.push_screen(CsvForm(data=str(path), target="price"), answers.append)
        form = app.screen
        assert isinstance(form, CsvForm) and not form.query(DropList)
        assert "space" not in str(form.query_one("#csv-hint", Static).render())
        await pilot.press("enter", "enter")
        await pilot.pause()
    assert answers == [{"dataset": "csv", "data": str(path), "target": "price"}]


async def test_a_burst_that_closes_the_form_twice_answers_once(tmp_path, internal_errors):
    path = tmp_path / "houses.csv"
    write_csv(path)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane, form = await open_form_by_choosing_csv(app, pilot)
        form.path_input.value = str(path)
        await pilot.pause()
        form.set_focus(form.query_one(OptionList))
        await send_keys(app, pilot, ["enter", "escape", "enter", "escape"])
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
        assert pane.params.target == "age"
    assert not internal_errors


async def test_the_form_fits_a_small_terminal(tmp_path):
    write_csv(tmp_path / "houses.csv")
    app = ReglabApp(warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        _, form = await open_form_by_choosing_csv(app, pilot)
        form.path_input.value = str(tmp_path / "houses.csv")
        await pilot.pause()
        box = form.query_one("#csv-form").region
        assert box.width <= 80 and box.height <= 24
        for widget in ("#csv-path", "#csv-target", "#csv-drop", "#csv-load", "#csv-hint"):
            region = form.query_one(widget).region
            assert region.height > 0 and box.contains_region(region), widget


async def test_the_form_survives_random_keys(tmp_path, monkeypatch, internal_errors):
    # The app-wide fuzzer seldom reaches the dataset row: here every burst lands in a form
    # (reopened when a key closed it), over a folder whose names the printable keys can
    # complete and load (a good file, a text column, an empty file, a subfolder). The
    # form's own keys weigh more, and every other form starts prefilled with a file that
    # loads, so that many bursts get as far as loading one.
    write_csv(tmp_path / "a.csv")
    (tmp_path / "bad.csv").write_text("name,y\n" + "".join(f"n{i},{i}\n" for i in range(30)))
    (tmp_path / "e.csv").write_text("")
    (tmp_path / "b").mkdir()
    write_csv(tmp_path / "b" / "o.csv")
    monkeypatch.chdir(tmp_path)
    rng = random.Random(11)
    # Not the keys that act on the lab behind the form either (pins, charts, scripts).
    pool = [key for key, _ in key_pool() if key not in (*TAB_KEYS, "p", "P", "n", "E")]
    # Loading takes an enter in the path and another in the target list: weighted so that
    # a fair share of the forms (opened ~40 times) gets that far.
    pool += ["tab", "enter", "a", "b", "slash", "space", "down", "up"] * 4 + ["enter"] * 6
    app = FuzzApp(warm=False, export_dir=tmp_path / "exports")  # q and ctrl+c do not quit
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "penalties")
        panel = pane.query_one(ParamPanel)
        answers = []
        chosen = panel._csv_chosen
        monkeypatch.setattr(panel, "_csv_chosen", lambda a: (answers.append(a), chosen(a)))
        good = with_values(panel.params, {"data": "a.csv", "target": "price"})
        for burst in range(200):
            while len(app.screen_stack) > 1 and not isinstance(app.screen, CsvForm):
                await pilot.press("escape")  # the help screen or the palette
            if not isinstance(app.screen, CsvForm):
                if burst % 2:  # every other form starts from a file that loads
                    panel.set_params(good, changed="data")
                panel.open_csv_form(start=rng.choice(["data", "target"]))
                await pilot.pause()
            await send_keys(app, pilot, rng.choices(pool, k=rng.randint(1, 6)))
            assert app._exception is None
        await settle(app, pilot)
        loaded = [a for a in answers if a]
        assert len(answers) >= 10 and loaded and len(loaded) < len(answers), answers
        assert pane.params.dataset in ("synthetic", "csv")
    assert not internal_errors
