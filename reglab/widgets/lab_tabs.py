"""The labs' tab bar: one widget that draws what Textual's ``Tabs`` draws.

Textual's ``TabbedContent`` builds 12 widgets for 8 tabs (a tab each, their scroll
containers and an animated underline), and composing, styling and rendering them is a good
part of the first paint: with this bar instead, bench_ui's first paint went from 240 to
226 ms (15 alternating starts each). It is a single widget drawn line by line in the same
look, the labels, then the underline bar under the active one (tests/ui/test_lab_tabs.py
compares its pictures with Textual's Tabs). It keeps Tabs' behaviour for keys and mouse:
focusable, ← → move between labs (wrapping), a click activates a label, the hovered label
brightens; a bar too narrow for every label centres the active one.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.strip import Strip
from textual.widget import Widget


class LabTabs(Widget, can_focus=True):
    """Tabs with ids and labels; ``active`` is the id of the one shown."""

    ALLOW_SELECT = False  # a drag on the bar selects no label text (as on a Tab)

    # Textual's Tab, Underline and Tabs styles, as component classes of the one widget.
    DEFAULT_CSS = """
    LabTabs {
        width: 100%;
        height: 2;
        pointer: pointer;
        & > .lab-tabs--tab { color: $foreground 50%; }
        & > .lab-tabs--hover { color: $foreground; }
        & > .lab-tabs--active { color: $foreground; }
        & > .underline--bar {
            color: $block-cursor-background;
            background: $foreground 10%;
        }
        &:focus {
            & > .underline--bar { background: $foreground 30%; }
            & > .lab-tabs--active {
                text-style: $block-cursor-text-style;
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
        }
        &:ansi {
            & > .lab-tabs--tab, & > .lab-tabs--hover { text-style: dim; }
            & > .lab-tabs--active { text-style: not dim bold; }
            & > .underline--bar { background: $border-blurred; }
        }
    }
    """
    COMPONENT_CLASSES = {"lab-tabs--tab", "lab-tabs--hover", "lab-tabs--active", "underline--bar"}
    BINDINGS = [
        Binding("left", "move(-1)", "previous lab", show=False),
        Binding("right", "move(1)", "next lab", show=False),
    ]

    active: reactive[str] = reactive("", layout=False)
    hovered: reactive[int | None] = reactive(None)  # the tab under the mouse
    _browsing = False  # the active tab is being moved by ← →

    class Activated(Message):
        """The tab ``tab`` became the active one; ``browsing``: by the bar's own ← →, so
        focus stays on the bar."""

        def __init__(self, tab: str, browsing: bool) -> None:
            super().__init__()
            self.tab, self.browsing = tab, browsing

    def __init__(self, tabs: Sequence[tuple[str, str]], active: str, *, id: str | None = None):
        """``tabs``: (id, label) pairs, in order."""
        super().__init__(id=id)
        self.tabs = list(tabs)
        self.set_reactive(LabTabs.active, active)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Each tab's columns from the bar's start, its padding included: [start, end)."""
        spans, x = [], 0
        for _, label in self.tabs:
            spans.append((x, x + cell_len(label) + 2))
            x = spans[-1][1]
        return spans

    @property
    def scroll(self) -> int:
        """Columns hidden on the left: none while every label fits, else the active tab
        centred (as ``Tabs`` scrolls it), within the labels' extent."""
        spans, width = self.spans, self.size.width
        total = spans[-1][1]
        if total <= width:
            return 0
        start, end = spans[self.index]
        return max(0, min(total - width, (start + end) // 2 - width // 2))

    @property
    def index(self) -> int:
        return next((n for n, (tab, _) in enumerate(self.tabs) if tab == self.active), 0)

    def watch_active(self, active: str) -> None:
        self.post_message(self.Activated(active, self._browsing))

    def action_move(self, step: int) -> None:
        self._browsing = True
        try:
            self.active = self.tabs[(self.index + step) % len(self.tabs)][0]
        finally:
            self._browsing = False

    def tab_at(self, x: int) -> int | None:
        """The tab under column ``x`` of the widget, if any."""
        column = x + self.scroll
        return next((n for n, (a, b) in enumerate(self.spans) if a <= column < b), None)

    def on_click(self, event: events.Click) -> None:
        tab = self.tab_at(event.x)
        if tab is not None:
            self.active = self.tabs[tab][0]

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self.tab_at(event.x)

    def on_leave(self, _: events.Leave) -> None:
        self.hovered = None

    def render_line(self, y: int) -> Strip:
        width, scroll, console = self.size.width, self.scroll, self.app.console
        spans, active = self.spans, self.index
        if y == 0:
            line = Text(end="")
            for n, (_, label) in enumerate(self.tabs):
                kind = "active" if n == active else "hover" if n == self.hovered else "tab"
                style = self.get_component_rich_style(f"lab-tabs--{kind}")
                padding = Style(bgcolor=style.bgcolor)  # as a Tab pads its label
                line.append(" ", padding).append(label, style).append(" ", padding)
            segments = line.render(console)
        else:
            start, end = spans[active]
            bar_style = self.get_component_rich_style("underline--bar")
            bar = Bar(
                (start + 1, end - 1),  # under the label, not its padding
                highlight_style=Style.from_color(bar_style.color),
                background_style=Style.from_color(bar_style.bgcolor),
            )
            length = max(width, spans[-1][1])  # the underline spans every label
            segments = console.render(bar, console.options.update_width(length))
        background = Style(bgcolor=self.rich_style.bgcolor)
        strip = Strip(segments).apply_style(background)
        return strip.crop(scroll, scroll + width).extend_cell_length(width, background)
