"""Keyboard-first parameter controls generated from a lab's param specs.

One focusable row per parameter: up/down move between rows, left/right change the value
(shift for a big step, log steps where the spec says so), enter types a value, r resets
the row and R resets every row. A typed value that does not parse keeps the editor open
with the text, and says why: nothing is lost.

At most one editor is open, and only while it has focus: up/down commit it and move on
(a bad value keeps it open instead), and focus leaving it any other way closes it, as
escape does.

The CSV settings have a form instead (``CsvForm``): choosing ``dataset=csv`` while no file
is set opens it, and so does enter on the ``data`` or ``target`` row. The file, target and
columns to drop it answers change the lab at once (one refit); cancelled, nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from reglab.core.catalog import CSV
from reglab.core.errors import ParamError
from reglab.core.spec import (
    AUTO,
    BOOL,
    CHOICE,
    LabParams,
    Spec,
    format_value,
    parse_value,
    specs,
    step_value,
    with_values,
)

# The rows whose enter opens the CSV form instead of a plain editor.
CSV_FORM_ROWS = ("data", "target")


class ParamRow(Widget, can_focus=True):
    """One parameter: its name and value, changed with the arrow keys."""

    BINDINGS = [
        Binding("left", "step(-1)", "less", show=False, id="param.less"),
        Binding("right", "step(1)", "more", show=False, id="param.more"),
        Binding("shift+left", "step(-1, True)", "much less", show=False, id="param.much-less"),
        Binding("shift+right", "step(1, True)", "much more", show=False, id="param.much-more"),
        Binding(
            "enter",
            "edit",
            "type value",
            tooltip="Type a value for this parameter",
            id="param.edit",
        ),
        Binding("space", "toggle_value", "toggle", show=False, id="param.toggle-value"),
        Binding(
            "r",
            "reset",
            "reset",
            tooltip="Reset this parameter to its default",
            show=False,
            id="param.reset",
        ),
    ]

    value: reactive[Any] = reactive(None, layout=False)
    effective: Any = None  # what "auto" resolves to, kept up to date by the panel
    # The range that matters for the data (a result's ``ranges``): the arrows step in it.
    span: tuple[float, float] | None = None
    relevant: reactive[bool] = reactive(True)

    def __init__(self, name: str, spec: Spec, value: Any, default: Any) -> None:
        super().__init__(id=f"param-{name}", classes="param-row")
        self.param_name = name
        self.spec = spec
        self.default = default
        self.set_reactive(ParamRow.value, value)
        self._help = f"{spec.help}\nallowed: {spec.allowed()}\ndefault: {format_value(default)}"
        self.tooltip = self._help

    @dataclass
    class Stepped(Message):
        """The user asked for ``value`` (already valid for the spec)."""

        row: ParamRow
        value: Any

    @dataclass
    class FormWanted(Message):
        """Enter on a row that is set through the CSV form."""

        row: ParamRow

    @property
    def steppable(self) -> bool:
        return self.spec.kind not in ("text", "floats")

    def _layout(self) -> tuple[str, int]:
        """The value as shown and the width of the name column: ``" name ◀ value ▶"``."""
        shown = format_value(self.value) or "—"
        width = max(self.size.width - 2, 10)
        return shown, max(width - len(shown) - 4, 4)

    def arrow_at(self, x: int) -> int:
        """-1 for a click on ◀, +1 on ▶, 0 elsewhere (``x`` in the row's columns)."""
        if not self.steppable:
            return 0
        shown, name_width = self._layout()
        left = 1 + name_width  # the ◀, after the leading space and the name
        right = left + 2 + len(shown) + 1  # the ▶, after "◀ ", the value and a space
        return -1 if left - 1 <= x <= left else 1 if right <= x <= right + 1 else 0

    def render(self) -> Text:
        shown, name_width = self._layout()
        marker = "◀ " if self.has_focus and self.steppable else "  "
        label = Text(
            f" {self.param_name:<{name_width}.{name_width}}", style="bold" if self.has_focus else ""
        )
        label.append(marker, style="dim")
        label.append(shown, style="bold reverse" if self.has_focus else "bold")
        if self.has_focus and marker.strip():
            label.append(" ▶", style="dim")
        return label

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def set_span(self, span: tuple[float, float] | None) -> None:
        self.span = span
        if span is None:
            self.tooltip = self._help
        else:
            low, high = (format_value(end) for end in span)
            self.tooltip = f"{self._help}\nfor these data: {low} to {high}"

    def watch_relevant(self, relevant: bool) -> None:
        self.set_class(not relevant, "-irrelevant")

    def action_step(self, direction: int, big: bool = False) -> None:
        if self.spec.kind in ("text", "floats"):
            return
        # From "auto", step from the value the lab really uses (5 for a tree's depth).
        start = self.effective if self.value == AUTO else self.value
        new = step_value(self.spec, start, direction, big, self.span)
        if new != self.value:
            self.post_message(self.Stepped(self, new))

    def action_toggle_value(self) -> None:
        if self.spec.kind in (BOOL, CHOICE):
            self.action_step(1)

    def action_reset(self) -> None:
        if self.value != self.default:
            self.post_message(self.Stepped(self, self.default))

    async def action_edit(self) -> None:
        if self.spec.kind == BOOL:
            self.action_step(1)
            return
        if self.param_name in CSV_FORM_ROWS:
            self.post_message(self.FormWanted(self))
            return
        editor = Input(
            value=format_value(self.value), classes="param-editor", placeholder=self.spec.allowed()
        )
        editor.border_title = self.param_name
        parent = self.parent
        assert isinstance(parent, Widget)  # rows live in their ParamPanel
        await parent.mount(editor, after=self)
        self.display = False
        self.screen.set_focus(editor)

    async def on_click(self, event: events.Click) -> None:
        # Every click on an arrow steps (quick clicks too); a double click elsewhere edits.
        direction = self.arrow_at(event.x)
        if direction:
            self.action_step(direction)
        elif event.chain >= 2:
            await self.action_edit()


class ParamPanel(VerticalScroll, can_focus=False):
    """All of one lab's parameters; posts ``ParamsChanged`` with the whole new params."""

    BINDINGS = [
        Binding("up", "move(-1)", "previous", show=False, id="param.previous"),
        Binding("down", "move(1)", "next", show=False, id="param.next"),
        Binding(
            "R",
            "reset_all",
            "reset all",
            tooltip="Reset every parameter of this lab",
            show=False,
            id="param.reset-all",
        ),
    ]

    @dataclass
    class ParamsChanged(Message):
        panel: ParamPanel
        params: LabParams
        changed: str

    def __init__(self, params: LabParams, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.params = params
        self.defaults = type(params)()

    def compose(self) -> ComposeResult:
        for name, spec in specs(self.params).items():
            yield ParamRow(name, spec, getattr(self.params, name), getattr(self.defaults, name))

    def on_mount(self) -> None:
        self._show_values()

    @property
    def rows(self) -> list[ParamRow]:
        return list(self.query(ParamRow))

    def row(self, name: str) -> ParamRow:
        return self.query_one(f"#param-{name}", ParamRow)

    def focus_first(self) -> None:
        self.rows[0].focus()

    def action_move(self, offset: int) -> None:
        focused = self.screen.focused
        if isinstance(focused, Input) and focused.has_class("param-editor"):
            row = self._editor_row(focused)
            if not self._commit(focused, row):
                return  # the editor stays open with the text and says why
            focused = row
        rows = [r for r in self.rows if r.display]
        if not rows:
            return
        index = rows.index(focused) if focused in rows else -1
        target = rows[(index + offset) % len(rows)]
        # Synchronous (Widget.focus defers): a key right behind this one, as in a burst from
        # a paste or a fast typist, must reach the new row.
        self.screen.set_focus(target)
        target.scroll_visible()

    def action_reset_all(self) -> None:
        if self.params != self.defaults:
            self.set_params(self.defaults, changed="all")

    def set_params(self, params: LabParams, changed: str) -> None:
        """Show ``params`` and tell the lab; the single place values change."""
        self.params = params
        self._show_values()
        self.post_message(self.ParamsChanged(self, params, changed))

    def _show_values(self) -> None:
        effective = self.params.effective()
        for row in self.rows:
            shown = (getattr(self.params, row.param_name), getattr(effective, row.param_name))
            if shown != (row.value, row.effective):  # one key changes one row, seldom more:
                row.value, row.effective = shown  # repainting all twelve cost a frame ~7 ms
                row.refresh()
        self._show_relevance()

    def show_ranges(self, ranges: dict[str, tuple[float, float]]) -> None:
        """Step each parameter within the range its latest result found in the data."""
        for row in self.rows:
            row.set_span(ranges.get(row.param_name))

    def apply(self, name: str, value: Any) -> None:
        """Change one parameter (value or typed text); raises ParamError if not allowed."""
        self.set_params(with_values(self.params, {name: value}), changed=name)

    def _show_relevance(self) -> None:
        # Rows that only matter for some settings of the others are dimmed, not hidden.
        for row in self.rows:
            row.relevant = self.params.relevant(row.param_name)

    def needs_csv_form(self, name: str, value: Any) -> bool:
        """Whether setting ``name`` to ``value`` asks for a CSV file not chosen yet."""
        return name == "dataset" and value == CSV and not getattr(self.params, "data", "")

    def open_csv_form(self, start: str = "data") -> None:
        """Ask for the CSV file, its target and the columns to drop; focus starts at the
        ``start`` row's control. One form at a time (an enter right behind the first)."""
        from reglab.widgets.csv_form import CsvForm  # loaded when first asked for

        if any(isinstance(screen, CsvForm) for screen in self.app.screen_stack):
            return
        drop = getattr(self.params, "drop", "") if "drop" in specs(self.params) else None
        form = CsvForm(
            data=getattr(self.params, "data", ""),
            target=getattr(self.params, "target", ""),
            drop=drop,
            start=start,
        )
        self.app.push_screen(form, self._csv_chosen)

    def _csv_chosen(self, updates: dict[str, str] | None) -> None:
        if updates is None or not self.is_attached:
            return  # cancelled (or the app is quitting): nothing changes
        try:
            params = with_values(self.params, updates)
        except ParamError as error:
            self.notify(str(error), title="Not allowed", severity="error")
            return
        if params != self.params:
            # Every CSV setting at once: the lab refits once, for the whole choice.
            self.set_params(params, changed="data")

    @on(ParamRow.FormWanted)
    def _form_wanted(self, event: ParamRow.FormWanted) -> None:
        event.stop()
        self.open_csv_form(start=event.row.param_name)

    @on(ParamRow.Stepped)
    def _stepped(self, event: ParamRow.Stepped) -> None:
        event.stop()
        if self.needs_csv_form(event.row.param_name, event.value):
            self.open_csv_form()
            return
        try:
            self.apply(event.row.param_name, event.value)
        except ParamError as error:
            # e.g. a combination the lab forbids (stratified folds for a regressor).
            self.notify(str(error), title="Not allowed", severity="warning")

    @on(Input.Submitted, ".param-editor")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self._commit(event.input, self._editor_row(event.input))

    @on(Input.Blurred, ".param-editor")
    def _editor_left(self, event: Input.Blurred) -> None:
        # Focus went elsewhere (tab, a click, another lab): close, keeping the old value.
        event.stop()
        if event.input.is_attached:
            self._close_editor(event.input, self._editor_row(event.input), refocus=False)

    def _commit(self, editor: Input, row: ParamRow) -> bool:
        """Apply the editor's text and close it; on a bad value keep it open and say why."""
        if self._typed_csv(row, editor.value):
            self._close_editor(editor, row)
            self.open_csv_form()
            return True
        try:
            self.apply(row.param_name, editor.value)
        except ParamError as error:
            editor.border_subtitle = "not allowed"
            self.notify(str(error), title="Not allowed", severity="error")
            return False
        self._close_editor(editor, row)
        return True

    def _typed_csv(self, row: ParamRow, text: str) -> bool:
        try:
            value = parse_value(row.param_name, row.spec, text)
        except ParamError:
            return False  # applying it says why
        return self.needs_csv_form(row.param_name, value)

    def on_key(self, event: events.Key) -> None:
        editor = self.screen.focused
        if event.key == "escape" and isinstance(editor, Input) and editor.has_class("param-editor"):
            event.stop()
            self._close_editor(editor, self._editor_row(editor))

    def _editor_row(self, editor: Input) -> ParamRow:
        return self.row(editor.border_title or "")

    def _close_editor(self, editor: Input, row: ParamRow, refocus: bool = True) -> None:
        editor.remove_class("param-editor")  # closed: its blur must not close it again
        row.display = True
        if refocus:
            self.screen.set_focus(row)
        editor.remove()
