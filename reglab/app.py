"""The reglab app: one tab per lab, keyboard first, every fit off the UI thread."""

from __future__ import annotations

import csv
import json
import time
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.css.query import NoMatches
from textual.widgets import Footer, TabbedContent, TabPane

from reglab.compute.warmup import warm_imports
from reglab.core.registry import LABS, Lab
from reglab.labs import pane_class
from reglab.screens.help import HelpScreen
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.param_panel import ParamPanel


class LabCommands(Provider):
    """Command palette: jump to any lab, or run a lab action."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.app
        assert isinstance(app, ReglabApp)
        commands = [
            (f"Lab: {lab.title}", lab.summary, partial(app.show_lab, lab.name))
            for lab in LABS.values()
        ]
        commands += [
            (title, help, getattr(app, f"action_{action}"))
            for title, help, action in ReglabApp.LAB_ACTIONS
        ]
        for title, help_text, callback in commands:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class ReglabApp(App):
    """reglab: move a knob, watch the fit change."""

    TITLE = "reglab"
    SUB_TITLE = "regularization lab"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {LabCommands}
    # Screen classes for small terminals (80x24 over SSH): app.tcss makes room for charts.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "keys", tooltip="Show every key"),
        Binding("ctrl+r", "refit", "refit", tooltip="Compute the current lab again", show=False),
        Binding("x", "cancel", "cancel", tooltip="Cancel the running computation"),
        Binding("e", "export", "export", tooltip="Write the current result as JSON and CSV"),
        Binding("s", "screenshot", "SVG", tooltip="Save the screen as an SVG file", show=False),
        Binding("q", "quit", "quit"),
        *(
            Binding(str(n), f"show_tab({n})", f"lab {n}", show=False, id=f"lab-{n}")
            for n in range(1, 10)
        ),
    ]
    LAB_ACTIONS = (
        ("Export result", "Write the current lab's result as JSON and CSV", "export"),
        ("Save screenshot", "Save the screen as an SVG file", "screenshot"),
        ("Cancel computation", "Stop the current lab's running job", "cancel"),
        ("Refit", "Compute the current lab again", "refit"),
        ("Reset parameters", "Put every parameter of this lab back to its default", "reset"),
        ("Show keys", "List every key binding", "help"),
    )

    def __init__(self, export_dir: str | Path = ".", warm: bool = True) -> None:
        super().__init__()
        self.export_dir = Path(export_dir)
        self.warm = warm
        self._painted = False

    def compose(self) -> ComposeResult:
        # Only the first lab is built now; the others when their tab is first shown, which
        # keeps first paint quick (styling every widget of seven labs costs ~100s of ms).
        with TabbedContent(id="labs"):
            for number, lab in enumerate(LABS.values(), start=1):
                with TabPane(f"{number} {lab.tab_label}", id=f"tab-{lab.name}"):
                    if number == 1:
                        yield self._make_pane(lab)
        yield Footer()

    def on_mount(self) -> None:
        # Heavy imports wait for the first frame, then run off the UI thread.
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self._painted = True
        if self.warm:
            self._warm_up()
        self._activate(self.current_pane)

    def _activate(self, pane: LabPane) -> None:
        pane.start()
        pane.focus_controls()

    @work(thread=True, exclusive=True, group="warmup", exit_on_error=False)
    def _warm_up(self) -> None:
        warm_imports()

    @staticmethod
    def _make_pane(lab: Lab) -> LabPane:
        return pane_class(lab)(lab, id=f"lab-{lab.name}")

    # --- labs ---------------------------------------------------------------------------

    @property
    def panes(self) -> list[LabPane]:
        return list(self.query(LabPane))

    @property
    def current_pane(self) -> LabPane:
        """The lab on the active tab (raises NoMatches in the instant before it mounts)."""
        tabs = self.query_one(TabbedContent)
        return self.query_one(f"#lab-{tabs.active.removeprefix('tab-')}", LabPane)

    def show_lab(self, lab: str) -> None:
        if not self._painted:
            # TabbedContent activates its first tab while mounting, which would undo an
            # earlier switch: ask again once the first frame is up.
            self.call_after_refresh(self.show_lab, lab)
            return
        tabs = self.query_one(TabbedContent)
        if tabs.active == f"tab-{lab}":
            return
        # A control that keeps focus inside the old tab would pull TabbedContent back to it;
        # the new lab focuses its own controls once shown.
        self.screen.set_focus(None)
        tabs.active = f"tab-{lab}"

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        assert event.pane.id is not None  # every lab's TabPane has the id tab-<lab>
        lab = event.pane.id.removeprefix("tab-")
        panes = event.pane.query(LabPane)
        if panes:
            pane = panes.first()
        else:
            pane = self._make_pane(LABS[lab])
            await event.pane.mount(pane)
        if self._painted:  # the first tab is started after first paint, not before
            self._activate(pane)

    def action_show_tab(self, number: int) -> None:
        if 1 <= number <= len(LABS):
            self.show_lab(list(LABS)[number - 1])

    @property
    def labs_idle(self) -> bool:
        """The current lab shows its newest outcome and no other lab is computing."""
        try:
            current = self.current_pane
        except NoMatches:
            return False
        return current.idle and all(pane.idle or not pane.started for pane in self.panes)

    # --- actions --------------------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.current_pane))

    def action_refit(self) -> None:
        self.current_pane.refit()

    def action_reset(self) -> None:
        self.current_pane.query_one(ParamPanel).action_reset_all()

    def action_cancel(self) -> None:
        if not self.current_pane.cancel():
            self.notify("Nothing is running.", timeout=2)

    def action_export(self) -> None:
        pane = self.current_pane
        if pane.result is None:
            self.notify("No result yet to export.", severity="warning")
            return
        try:
            written = export_result(pane.result.to_json(), self.export_dir)
        except OSError as error:
            self.notify(f"Export failed: {error}", severity="error")
            return
        self.notify("Wrote " + ", ".join(str(p) for p in written), title="Exported")

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save the screen as an SVG, by default named after the lab in the export folder
        (App's signature: ``filename`` and ``path`` override those defaults)."""
        name = filename or (
            f"reglab-{self.current_pane.lab.name}-{time.strftime('%Y%m%d-%H%M%S')}.svg"
        )
        try:
            path = self.save_screenshot(name, path=path or str(self.export_dir))
        except OSError as error:
            self.notify(f"Screenshot failed: {error}", severity="error")
            return
        self.notify(f"Wrote {path}", title="Screenshot")


def export_result(payload: dict, folder: Path) -> list[Path]:
    """Write ``payload`` as JSON, and its main table (the first list of rows) as CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"reglab-{payload['lab']}-{time.strftime('%Y%m%d-%H%M%S')}"
    json_path = stem.with_suffix(".json")
    json_path.write_text(json.dumps(payload, indent=2, allow_nan=False))
    written = [json_path]
    table = next(
        (
            value
            for value in payload.values()
            if isinstance(value, list) and value and all(isinstance(row, dict) for row in value)
        ),
        None,
    )
    if table:
        csv_path = stem.with_suffix(".csv")
        with csv_path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(table[0]))
            writer.writeheader()
            writer.writerows(table)
        written.append(csv_path)
    return written
