"""The form that loads a CSV file into a lab: path (with completion), target, columns to drop.

It lives among the widgets, not the screens, because the parameter panel opens it and the
layers let widgets import nothing above them.

Keys: the path box completes folders and .csv/.tsv/.txt files inline (tab, right or end
accepts); enter on the path moves to the target list, where up/down pick the target and
enter loads; space marks a column to drop; escape cancels and changes nothing. A problem
with the path is one line in the form, which stays open with what was typed.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from reglab.core.catalog import CSV
from reglab.widgets.modal import DismissOnlyOnTop

# Files the path box completes to (folders always): what a CSV usually ends with.
DATA_SUFFIXES = (".csv", ".tsv", ".txt")


def expand(typed: str) -> Path:
    """``typed`` with ``~`` expanded; ``~name`` of no known user stays as typed (where
    ``Path.expanduser`` raises)."""
    return Path(os.path.expanduser(typed))


def complete_path(typed: str, cwd: Path | None = None) -> str | None:
    """The first folder or data file (by name) whose name starts with what ``typed`` ends
    with, written the way it was typed (``~`` and relative parts kept), or None. Folders end
    in ``/`` so the next name can follow; hidden names only when a dot was typed."""
    if typed.startswith("~") and "/" not in typed:
        return "~/" if typed == "~" else None
    head, slash, prefix = typed.rpartition("/")
    folder_typed = head + slash
    folder = expand(folder_typed or ".")
    if not folder.is_absolute():
        folder = (cwd or Path.cwd()) / folder
    try:
        with os.scandir(folder) as entries:
            names = sorted(_completion(entry) for entry in entries if entry.name.startswith(prefix))
    except (OSError, ValueError):  # no such folder, no permission, a NUL in the name
        return None
    for name in names:
        if name and name != prefix and (prefix.startswith(".") or not name.startswith(".")):
            return folder_typed + name
    return None


def _completion(entry: os.DirEntry[str]) -> str:
    """The name to complete to, or "" for a file that is not a data file."""
    try:
        if entry.is_dir():
            return entry.name + "/"
    except OSError:
        return ""
    return entry.name if entry.name.lower().endswith(DATA_SUFFIXES) else ""


class PathSuggester(Suggester):
    """Completes file-system paths (see ``complete_path``), off the UI thread: a folder may
    be large or on a slow disk."""

    def __init__(self, cwd: Path | None = None) -> None:
        # No cache: files come and go while the form is open; paths are case-sensitive.
        super().__init__(use_cache=False, case_sensitive=True)
        self.cwd = cwd

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value, self.cwd)


class PathInput(Input):
    """An Input whose tab and end also accept the completion shown (tab moves on when
    there is none, so it still moves between the form's controls)."""

    BINDINGS = [
        Binding("tab", "accept_or_next", "complete", show=False),
        Binding("end", "accept_or_end", "complete", show=False),
    ]

    def action_accept_or_next(self) -> None:
        if not self._accept():
            self.screen.focus_next()

    def action_accept_or_end(self) -> None:
        if not self._accept():
            self.action_end()

    def _accept(self) -> bool:
        """Take the suggestion shown, if any; whether the text changed."""
        before = self.value
        if self.cursor_at_end:
            self.action_cursor_right()  # at the end this takes the suggestion (Textual's)
        return self.value != before


class TargetList(OptionList):
    """Up/down pick the target; enter loads, at once (a message would let an escape right
    behind it cancel first). A click only picks."""

    BINDINGS = [Binding("enter", "screen.load", "load", show=False)]


class DropList(SelectionList[str]):
    """Space marks a column to leave out; enter loads (it would toggle, as space does)."""

    BINDINGS = [Binding("enter", "screen.load", "load", show=False)]


def column_names(file: Path) -> list[str]:
    """The columns of ``file`` as the lab will see them: a first column without a name (an
    index written by pandas) left out, other unnamed ones named as pandas names them."""
    from reglab.core.datasets import read_header  # numpy: not before the app's first paint

    _, names = read_header(file)
    if names and (names[0] == "" or names[0].startswith("Unnamed: 0")):
        names = names[1:]
        return [name or f"Unnamed: {i + 1}" for i, name in enumerate(names)]
    return [name or f"Unnamed: {i}" for i, name in enumerate(names)]


def path_problem(typed: str) -> str | None:
    """Why ``typed`` cannot be loaded, in one line, or None."""
    if not typed:
        return "type the path of a CSV file"
    file = expand(typed)
    try:
        folder, readable = file.is_dir(), file.is_file()
    except (OSError, ValueError) as error:  # a name too long, a NUL in it
        return f"cannot read {typed}: {getattr(error, 'strerror', None) or error}"
    if folder:
        return f"{typed} is a folder; give the path of a CSV file"
    if not readable:
        return f"no such file: {typed}"
    return None


class CsvForm(DismissOnlyOnTop, ModalScreen[dict[str, str] | None]):
    """Pick a CSV file, its target column and columns to drop. Answers the parameter
    updates ({"dataset": "csv", "data": ..., "target": ..., "drop": ...}) or None."""

    DEFAULT_CSS = """
    CsvForm {
        align: center middle;
    }
    CsvForm > #csv-form {
        width: 72;
        max-width: 100%;
        height: 21;
        max-height: 100%;
        padding: 0 1;
        border: round $accent;
        background: $surface;
    }
    CsvForm #csv-status {
        height: 1;
        color: $text-muted;
    }
    CsvForm #csv-status.-problem {
        color: $text-error;
    }
    CsvForm #csv-columns {
        height: 1fr;
    }
    CsvForm #csv-columns > Vertical {
        width: 1fr;
    }
    CsvForm .csv-label {
        height: 1;
    }
    CsvForm OptionList {
        height: 1fr;
    }
    CsvForm #csv-buttons {
        height: 1;
        align-horizontal: right;
    }
    CsvForm #csv-buttons > Button {
        margin-left: 2;
    }
    CsvForm #csv-hint {
        height: 1;
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "dismiss", "cancel", id="csv.cancel")]

    def __init__(
        self, data: str = "", target: str = "", drop: str | None = None, start: str = "data"
    ) -> None:
        """Prefilled with the lab's ``data``, ``target`` and ``drop`` (None: the lab cannot
        drop columns, so the form offers none); ``start`` is where focus begins."""
        super().__init__()
        self.initial_data = data
        self.initial_target = target
        self.can_drop = drop is not None
        self.marks = {name for name in (drop or "").split(",") if name}
        self.start = start
        self.columns: list[str] = []
        self.file: Path | None = None  # whose columns are shown
        self.read_path: str | None = None  # the path as typed when last read

    def compose(self) -> ComposeResult:
        with Vertical(id="csv-form") as form:
            form.border_title = "Load a CSV file"
            yield PathInput(
                self.initial_data,
                placeholder="path to a .csv file",
                suggester=PathSuggester(),
                id="csv-path",
            )
            yield Static("", id="csv-status")
            with Horizontal(id="csv-columns"):
                with Vertical():
                    yield Label("target ↑↓", classes="csv-label")
                    yield TargetList(id="csv-target")
                if self.can_drop:
                    with Vertical():
                        yield Label("drop (space marks)", classes="csv-label")
                        yield DropList(id="csv-drop")
            with Horizontal(id="csv-buttons"):
                yield Button("Load", variant="primary", compact=True, id="csv-load")
                yield Button("Cancel", compact=True, id="csv-cancel")
            drop_keys = " · space drop" if self.can_drop else ""
            yield Static(
                f"tab/→ complete · ↑↓ target{drop_keys} · ⏎ next/load · esc cancel",
                id="csv-hint",
            )

    def on_mount(self) -> None:
        self._read_columns()
        start = self.target_list if self.start == "target" and self.columns else self.path_input
        self.set_focus(start)

    @property
    def path_input(self) -> PathInput:
        return self.query_one("#csv-path", PathInput)

    @property
    def target_list(self) -> TargetList:
        return self.query_one("#csv-target", TargetList)

    @property
    def drop_list(self) -> DropList | None:
        return self.query_one("#csv-drop", DropList) if self.can_drop else None

    @property
    def target(self) -> str | None:
        """The highlighted column of the target list."""
        index = self.target_list.highlighted
        return self.columns[index] if index is not None and index < len(self.columns) else None

    # --- reading the file ---------------------------------------------------------------

    @on(Input.Changed, "#csv-path")
    def _path_changed(self, event: Input.Changed) -> None:
        # Already read (by a load that came first): the problem it showed must stay.
        if event.value.strip() != self.read_path:
            self._read_columns()

    def _read_columns(self) -> str | None:
        """Show the columns of the file the path names (none if it names no readable file);
        return the problem, if any, and say it on the status line."""
        typed = self.read_path = self.path_input.value.strip()
        problem = path_problem(typed)
        columns: list[str] = []
        file = expand(typed)
        if problem is None:
            try:
                columns = column_names(file)
            except OSError as error:
                problem = f"cannot read {typed}: {error.strerror or error}"
            else:
                if not columns:
                    problem = f"{typed} has no columns (is it empty?)"
        if (file if columns else None) != self.file or columns != self.columns:
            self._show_columns(file if columns else None, columns)
        self._say(self._summary())
        return problem

    def _show_columns(self, file: Path | None, columns: list[str]) -> None:
        wanted = self.target or self.initial_target
        self.file, self.columns = file, columns
        targets = self.target_list
        targets.clear_options()
        targets.add_options([Option(Text(name)) for name in columns])
        if columns:
            # The lab's target if the file has it, else the last column (where it often is).
            targets.highlighted = columns.index(wanted) if wanted in columns else len(columns) - 1
        self._fill_drop_list()

    @on(OptionList.OptionHighlighted, "#csv-target")
    def _target_moved(self) -> None:
        self._fill_drop_list()
        self._say(self._summary())

    @on(SelectionList.SelectedChanged, "#csv-drop")
    def _drops_marked(self) -> None:
        if self.focused is self.drop_list:  # a mark by the user, not a refill
            self._say(self._summary())

    @property
    def dropped(self) -> list[str]:
        """The columns marked to leave out, in file order."""
        drops = self.drop_list
        marked = set(drops.selected) if drops is not None else set()
        return [name for name in self.columns if name in marked]

    def _summary(self) -> str:
        """What loading would do: the columns, the target, the columns left out."""
        if not self.columns:
            return ""
        parts = [f"{len(self.columns)} columns", f"target {self.target or '?'}"]
        if self.dropped:
            parts.append("drop " + ", ".join(self.dropped))
        return " · ".join(parts)

    def _fill_drop_list(self) -> None:
        """Every column but the target, marked as the user left them (a mark on the column
        that is the target now comes back if another column becomes the target)."""
        drops = self.drop_list
        if drops is None:
            return
        shown = {option.value for option in drops.options if isinstance(option, Selection)}
        self.marks = (self.marks - shown) | set(drops.selected)
        target = self.target
        highlighted = drops.highlighted
        drops.clear_options()
        drops.add_options(
            [
                Selection(Text(name), name, name in self.marks)
                for name in self.columns
                if name != target
            ]
        )
        if drops.option_count:
            drops.highlighted = min(highlighted or 0, drops.option_count - 1)

    def _say(self, text: str, problem: bool = False) -> None:
        status = self.query_one("#csv-status", Static)
        status.update(Text(text))
        status.set_class(problem, "-problem")

    # --- answering ----------------------------------------------------------------------

    @on(Input.Submitted, "#csv-path")
    def _path_entered(self) -> None:
        problem = self._read_columns()
        if problem:
            self._say(problem, problem=True)
        else:
            self.set_focus(self.target_list)

    @on(Button.Pressed, "#csv-load")
    def _load_pressed(self) -> None:
        self.action_load()

    @on(Button.Pressed, "#csv-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_load(self) -> None:
        problem = self._read_columns()
        target = self.target
        if problem is None and target is None:
            problem = "pick the target column (↑↓ in the target list)"
        if problem:
            self._say(problem, problem=True)
            return
        assert target is not None
        updates = {"dataset": CSV, "data": self.path_input.value.strip(), "target": target}
        if self.can_drop:
            updates["drop"] = ",".join(self.dropped)
        self.dismiss(updates)
