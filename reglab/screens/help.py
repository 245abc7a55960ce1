"""The ``?`` screen: every key, and what the current lab shows."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reglab.widgets.lab_pane import LabPane

PARAMETER_KEYS = (
    ("↑ / ↓", "move between parameters"),
    ("← / →", "change the value (log steps for strengths)"),
    ("shift+← / →", "big step"),
    ("enter", "type a value (esc cancels)"),
    ("space", "toggle / next choice"),
    ("r / R", "reset this parameter / all of this lab"),
)
APP_KEYS = (
    ("1 … 7", "switch lab"),
    ("tab", "move between controls and tabs"),
    ("ctrl+p", "command palette: labs and actions"),
    ("ctrl+r", "compute again"),
    ("x", "cancel the running computation"),
    ("e", "export the result as JSON and CSV"),
    ("s", "save the screen as SVG"),
    ("?", "this screen"),
    ("q", "quit"),
)


def keys_table(title: str, rows: tuple[tuple[str, str], ...]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key, meaning in rows:
        table.add_row(key, meaning)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys and the current lab's explanation; any of esc, ? or q closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "close"),
        Binding("question_mark", "dismiss", "close", show=False),
        Binding("q", "dismiss", "close", show=False),
    ]

    def __init__(self, pane: LabPane) -> None:
        super().__init__()
        self.pane = pane

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(
                f"[b]{self.pane.lab.title}[/b] — {self.pane.lab.summary}\n\n"
                f"{self.pane.EXPLANATION}\n"
            )
            lab_keys = tuple(
                (binding.key, binding.description)
                for binding in self.pane.BINDINGS
                if isinstance(binding, Binding) and binding.description
            )
            if lab_keys:
                yield Static(keys_table(f"{self.pane.lab.title} lab", lab_keys))
            yield Static(keys_table("Parameters", PARAMETER_KEYS))
            yield Static(keys_table("App", APP_KEYS))
            yield Static("\n[dim]esc closes[/dim]")
