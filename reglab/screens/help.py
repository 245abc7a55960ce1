"""The ``?`` screen: every key, and what the current lab shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reglab.core.registry import LABS, Lab
from reglab.labs import pane_class
from reglab.widgets.modal import DismissOnlyOnTop
from reglab.widgets.param_panel import ParamPanel, ParamRow

# Keys Textual itself provides (no binding of ours declares them).
TEXTUAL_KEYS = (
    ("tab", "move between controls and tabs"),
    ("ctrl+p", "command palette: labs and actions"),
)


def binding_rows(app: App, bindings: Iterable[Binding | Any]) -> tuple[tuple[str, str], ...]:
    """One row per binding: the keys in force (the user's keymap applied), what it does and
    its id (the name to use in the keymap file)."""
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.description:
            # ReglabApp applies the user's keymap (this layer cannot import the app).
            key_display = getattr(app, "key_display", app.get_key_display)
            keys = key_display(binding)
            meaning = binding.tooltip or binding.description
            rows.append((keys, f"{meaning}  [dim]{binding.id or ''}[/dim]"))
    return tuple(rows)


def keys_table(title: str, rows: tuple[tuple[str, str], ...]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key, meaning in rows:
        table.add_row(key, meaning)
    return table


class HelpScreen(DismissOnlyOnTop, ModalScreen[None]):
    """Keys and the current lab's explanation; any of esc, ? or q closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "close", id="help.close"),
        Binding("question_mark", "dismiss", "close", show=False, id="help.close-question-mark"),
        Binding("q", "dismiss", "close", show=False, id="help.close-q"),
    ]

    def __init__(self, lab: Lab) -> None:
        super().__init__()
        self.lab = lab

    def compose(self) -> ComposeResult:
        pane = pane_class(self.lab)  # its explanation and keys are the class's
        with VerticalScroll(id="help"):
            yield Static(f"[b]{self.lab.title}[/b] — {self.lab.summary}\n\n{pane.EXPLANATION}\n")
            app = self.app
            lab_keys = binding_rows(app, pane.lab_bindings())
            if lab_keys:
                yield Static(keys_table(f"{self.lab.title} lab", lab_keys))
            parameter_keys = binding_rows(app, (*ParamRow.BINDINGS, *ParamPanel.BINDINGS))
            yield Static(keys_table("Parameters", parameter_keys))
            app_bindings = [
                b for b in app.BINDINGS if not str(getattr(b, "id", "")).startswith("lab-")
            ]
            labs = (f"1 … {len(LABS)}", "switch lab")
            app_keys = (labs, *TEXTUAL_KEYS, *binding_rows(app, app_bindings))
            yield Static(keys_table("App", app_keys))
            yield Static("\n[dim]esc closes[/dim]")
