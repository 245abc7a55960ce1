"""The reglab app: one tab per lab, keyboard first, every fit off the UI thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandListItem, DiscoveryHit, Hit, Hits, Provider, SimpleProvider
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.widgets import ContentSwitcher, Static

from reglab import frame_timer
from reglab.compute.warmup import CollectionPause, start_warm_up
from reglab.core.errors import ReglabError
from reglab.core.files import write_text_atomic
from reglab.core.registry import LABS
from reglab.core.spec import LabParams
from reglab.core.sweep import reserve_cores
from reglab.errorlog import log_and_describe, log_internal_error
from reglab.keymap import KEYMAP_FILE, KeymapError, read_keymap
from reglab.labs import LabTab
from reglab.screens.labs import LabsScreen
from reglab.screens.palette import PALETTE_ID, Palette
from reglab.settings import Loaded, Settings
from reglab.settings import save as save_settings
from reglab.widgets.chart import Chart
from reglab.widgets.key_footer import KeyFooter
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.lab_tabs import LabTabs
from reglab.widgets.modal import done
from reglab.widgets.param_panel import ParamPanel
from reglab.widgets.pins import pins_now

if TYPE_CHECKING:
    from reglab.session import Recorder, Replay


class LabCommands(Provider):
    """The palette's one provider of reglab commands: every lab, then every keyed action of
    the app and of the current lab (derived from their bindings), shown on an empty query."""

    def commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        app = self.app
        assert isinstance(app, ReglabApp)
        for lab in LABS.values():
            yield f"Lab: {lab.title}", lab.summary, partial(app.show_lab, lab.name)
        for owner, binding in app.keyed_actions():
            title = f"{binding.description[:1].upper()}{binding.description[1:]}"
            title += f" ({app.key_display(binding)})"
            yield title, binding.tooltip, partial(app.run_action, binding.action, owner)

    async def discover(self) -> Hits:
        for title, help_text, callback in self.commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


# Actions a recording keeps and a replay repeats (tabs and parameters are events of their own).
RECORDED_ACTIONS = ("export", "refit", "cancel", "screenshot")
SAVE_AFTER_SECONDS = 1.0

# Below this the panes cannot fit controls beside a readable chart: say so instead.
MIN_WIDTH, MIN_HEIGHT = 60, 16


def breakpoint_class(size: int, breakpoints: list[tuple[int, str]]) -> str:
    """The class Textual's screen takes for ``size``: that of the largest breakpoint at or
    below it."""
    return max((b for b in breakpoints if size >= b[0]), default=(0, ""))[1]


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
        Binding("question_mark", "help", "keys", tooltip="Show every key", id="app.help"),
        Binding(
            "ctrl+r",
            "refit",
            "refit",
            tooltip="Compute the current lab again",
            show=False,
            id="app.refit",
        ),
        Binding("x", "cancel", "cancel", tooltip="Cancel the running computation", id="app.cancel"),
        Binding(
            "e",
            "export",
            "export",
            tooltip="Write the current result as JSON and CSV",
            id="app.export",
        ),
        Binding(
            "E",
            "export_script",
            "script",
            tooltip="Write a standalone Python script that reproduces this result",
            show=False,
            id="app.export-script",
        ),
        Binding(
            "s",
            "screenshot",
            "SVG",
            tooltip="Save the screen as an SVG file",
            show=False,
            id="app.screenshot",
        ),
        Binding("q", "quit", "quit", id="app.quit"),
        # Textual's ctrl+c only says how to quit; in a terminal tool it should quit.
        Binding("ctrl+c", "quit", "quit", show=False, priority=True, id="app.quit-ctrl-c"),
        *(
            Binding(str(n), f"show_tab({n})", f"lab {n}", show=False, id=f"lab-{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(
        self,
        export_dir: str | Path = ".",
        warm: bool = True,
        keymap_file: Path | None = KEYMAP_FILE,
        start_lab: str | None = None,
        start_params: LabParams | None = None,
        settings: Loaded | None = None,
        settings_path: Path | None = None,
        recorder: Recorder | None = None,
        replay: Replay | None = None,
    ) -> None:
        """``start_lab`` opens on that lab's tab, with ``start_params`` (``reglab --lab LAB
        --set ...``) instead of its defaults. ``settings``: the saved ones to start from
        (theme, tab, each lab's parameters) and their notices; with ``settings_path`` every
        change is saved there. ``recorder`` logs the session; ``replay`` plays one back."""
        super().__init__()
        frame_timer.install()  # no frame waits a tick too many
        reserve_cores(1)  # workers=auto sweeps leave one core to draw the screen
        loaded = settings or Loaded(Settings(), [])
        self.settings, self._settings_notices = loaded.settings, loaded.notices
        self.settings_path = settings_path
        self.recorder, self.replay = recorder, replay
        self.start_lab = start_lab or self.settings.lab
        self.start_params = start_params
        if self.start_params is None and self.start_lab:
            self.start_params = self.settings.params.get(self.start_lab)
        self.settings.lab = self.start_lab or next(iter(LABS))  # the first tab shown
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if recorder is not None:  # the recording starts from where the app starts
            for lab in LABS:
                params = self._initial_params(lab)
                if params is not None and params != type(params)():
                    recorder.params(params)
        self.export_dir = Path(export_dir)
        self.warm = warm
        self._painted = False
        self._lab_asked_early: str | None = None  # a tab asked for before the first frame
        self._collection_pause = CollectionPause()
        self.warm_up: threading.Thread | None = None  # the warm-up imports, once started
        self._save_timer: Timer | None = None
        self._palette: Palette | None = None
        self._keymap_problem = ""
        self.keymap: dict[str, str] = {}  # binding id -> keys, from the user's file
        try:
            self.keymap = read_keymap(keymap_file)
        except KeymapError as error:
            self._keymap_problem = str(error)
        self.set_keymap(self.keymap)

    def compose(self) -> ComposeResult:
        # Only the first lab's pane is created now; the others when their tab is first shown
        # (LabTab), which keeps the first paint quick.
        first = self.start_lab or next(iter(LABS))
        labels = [f"{n} {lab.tab_label}" for n, lab in enumerate(LABS.values(), start=1)]
        yield LabTabs(list(zip(LABS, labels, strict=True)), active=first)
        with ContentSwitcher(id="labs", initial=first):
            for lab in LABS.values():
                yield LabTab(lab, params=self._initial_params(lab.name), shown=lab.name == first)
        yield Static(id="too-small")
        yield KeyFooter()

    def get_default_screen(self) -> Screen:
        """The labs' screen (frames keep the GIL), with the breakpoint classes of the
        terminal's size from the start: added by the first resize instead, they restyled
        every widget a second time before the screen settled."""
        screen = LabsScreen(id="_default")
        width, height = self.size
        screen.add_class(
            breakpoint_class(width, self.HORIZONTAL_BREAKPOINTS),
            breakpoint_class(height, self.VERTICAL_BREAKPOINTS),
        )
        return screen

    def _initial_params(self, lab: str) -> LabParams | None:
        if lab == self.start_lab and self.start_params is not None:
            return self.start_params
        return self.settings.params.get(lab)

    def on_load(self) -> None:
        self._collection_pause.start()  # until the warm-up is done (without one: first paint)

    def on_mount(self) -> None:
        # Heavy imports wait for the first frame, then run off the UI thread.
        self.call_after_refresh(self._after_first_paint)
        if self._keymap_problem:
            self.notify(self._keymap_problem, title="Keymap ignored", severity="warning")
        for notice in self._settings_notices:
            self.notify(notice, title="Saved settings", severity="warning", timeout=8)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_resize(self, event: events.Resize) -> None:
        if not self.screen_stack:
            return  # quitting
        width, height = event.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        screen = self.screen_stack[0]  # the labs' screen, under any open dialog
        notice = screen.query_one("#too-small", Static)
        if small:
            notice.update(
                f"Make the terminal larger: reglab needs at least {MIN_WIDTH}×{MIN_HEIGHT}"
                f" (it is {width}×{height} now)."
            )
        notice.display = small
        screen.query_one(LabTabs).display = screen.query_one("#labs").display = not small

    def key_display(self, binding: Binding) -> str:
        """The keys in force for ``binding``: the user's keymap first, then its own."""
        keys = self.keymap.get(binding.id or "", binding.key)
        return ", ".join(self.get_key_display(replace(binding, key=k)) for k in keys.split(","))

    def keyed_actions(self) -> Iterator[tuple[DOMNode, Binding]]:
        """Every action with a key and a tooltip, with the node that runs it: the app's, the
        current lab's own and its parameter panel's. The palette lists these."""
        yield from ((self, b) for b in self.BINDINGS if isinstance(b, Binding) and b.tooltip)
        pane = self.current_pane
        if pane is None:
            return
        yield from ((pane, b) for b in pane.lab_bindings() if b.tooltip)
        for panel in pane.query(ParamPanel):
            for binding in ParamPanel.BINDINGS:
                if isinstance(binding, Binding) and binding.tooltip:
                    yield panel, binding

    def _after_first_paint(self) -> None:
        self._painted = True
        if self.warm:  # collections resume once the imports are frozen
            self.warm_up = start_warm_up(then=self._collection_pause.end)
        else:
            self._collection_pause.end()
        if self._lab_asked_early not in (None, self.current_tab.lab.name):
            self.show_lab(self._lab_asked_early)  # its tab starts and focuses it
        else:
            self._activate(self.current_pane)
        if self.replay is not None:
            self._play(self.replay)

    def _activate(self, pane: LabPane | None, focus: bool = True) -> None:
        if pane is not None:
            pane.start()
            if focus:
                pane.focus_controls()

    # --- labs ---------------------------------------------------------------------------

    @property
    def panes(self) -> list[LabPane]:
        return list(self.query(LabPane))

    @property
    def current_tab(self) -> LabTab:
        return self.query_one(f"#{self.query_one(LabTabs).active}", LabTab)

    @property
    def current_pane(self) -> LabPane | None:
        """The lab on the active tab; None while its tab is creating it (``LabTab.load``)."""
        return self.current_tab.pane

    def show_lab(self, lab: str) -> None:
        if not self._painted:
            # The first tab starts after the first frame: the first frame shows this one.
            self._lab_asked_early = lab
            return
        tabs = self.query_one(LabTabs)
        if tabs.active == lab:
            return
        self.screen.set_focus(None)  # no key reaches the lab being left
        tabs.active = lab

    @on(LabTabs.Activated)
    async def _tab_activated(self, event: LabTabs.Activated) -> None:
        self.query_one("#labs", ContentSwitcher).current = event.tab
        tab = self.query_one(f"#{event.tab}", LabTab)
        self._keep(lab=tab.lab.name)
        pane = await tab.load()
        # The first tab is started after first paint, not before. A tab left again before
        # this ran (keys in a burst) is not focused; nor is one reached by the focused bar's
        # ← →, which go on moving between labs.
        if self._painted and self.current_tab is tab:
            self._activate(pane, focus=not event.browsing)

    def action_show_tab(self, number: int) -> None:
        if 1 <= number <= len(LABS):
            self.show_lab(list(LABS)[number - 1])

    @property
    def labs_idle(self) -> bool:
        """The current lab shows its newest outcome, no other lab is computing and every
        chart shows its newest picture."""
        current = self.current_pane
        return (
            current is not None
            and current.idle
            and all(pane.idle or not pane.started for pane in self.panes)
            and not any(chart.drawing for chart in self.query(Chart))
        )

    # --- what the app keeps: settings and the session's recording ------------------------

    @on(ParamPanel.ParamsChanged)
    def _params_changed(self, event: ParamPanel.ParamsChanged) -> None:
        self.settings.params[event.params.lab] = event.params
        if self.recorder is not None:
            self.recorder.params(event.params)
        self._save_soon()

    def _theme_changed(self, theme: Theme) -> None:
        self._keep(theme=theme.name)

    def _keep(self, lab: str | None = None, theme: str | None = None) -> None:
        """Note the active tab or the theme: in the settings, and in the recording."""
        if lab is not None and lab != self.settings.lab:
            self.settings.lab = lab
            if self.recorder is not None:
                self.recorder.write("tab", lab=lab)
        if theme is not None and theme != self.settings.theme:
            self.settings.theme = theme
            if self.recorder is not None:
                self.recorder.write("theme", theme=theme)
        self._save_soon()

    def _save_soon(self) -> None:
        # A burst of keys writes the file once, a second after the last.
        if self.settings_path is not None:
            if self._save_timer is not None:
                self._save_timer.stop()
            self._save_timer = self.set_timer(SAVE_AFTER_SECONDS, self._save_settings)

    def _save_settings(self) -> None:
        self._save_timer = None
        if self.settings_path is None:
            return
        try:
            save_settings(self.settings, self.settings_path)
        except OSError as error:
            self.settings_path = None  # say it once, then stop trying
            self.notify(f"Settings not saved: {error}", severity="warning")

    def on_unmount(self) -> None:
        self._collection_pause.end()  # an app that quit before its warm-up was done
        # Quitting: what a burst of keys left unsaved is saved now.
        if self._save_timer is not None:
            self._save_settings()
        if self.recorder is not None:
            self.recorder.close()

    @work(exclusive=True, group="replay", exit_on_error=False)
    async def _play(self, replay: Replay) -> None:
        """Play a recorded session back: each step at its recorded time (over ``speed``)."""
        from reglab.session import paced

        for wait, step in paced(replay.steps, replay.speed):
            await asyncio.sleep(wait)
            if step.event in ("tab", "params") and step.lab is not None:
                self.show_lab(step.lab)
                pane = await self.query_one(f"#{step.lab}", LabTab).load()
                if step.params is not None:
                    pane.query_one(ParamPanel).set_params(step.params, changed="replay")
            elif step.event == "theme" and step.detail.get("theme") in self.available_themes:
                self.theme = step.detail["theme"]
            elif step.event == "action" and step.detail.get("action") in RECORDED_ACTIONS:
                await self.run_action(step.detail["action"])
        self.notify("Replay finished.", title="Replay", timeout=4)

    # --- actions --------------------------------------------------------------------------

    def action_help(self) -> None:
        from reglab.screens.help import HelpScreen  # loaded when first asked for

        self.push_screen(HelpScreen(self.current_tab.lab))

    def action_refit(self) -> None:
        if (pane := self.current_pane) is not None:
            pane.refit()

    def action_cancel(self) -> None:
        pane = self.current_pane
        if pane is None or not pane.cancel():
            self.notify("Nothing is running.", timeout=2)

    def action_export(self) -> None:
        pane = self.current_pane
        if pane is None or pane.result is None:
            self.notify("No result yet to export.", severity="warning")
            return
        try:
            payload = pane.result.to_json()
            if pane.pins:  # each pinned run whole, named as the pin table names it
                now = pins_now(pane.result)
                payload["pins"] = [
                    {"pin": pin.label(now), **pin.result.to_json()} for pin in pane.pins
                ]
            from reglab.core.export import export_result

            written = export_result(payload, self.export_dir)
        except OSError as error:
            self.notify(f"Export failed: {error}", severity="error")
            return
        # The JSON's name, and the CSVs' (one per table) as one pattern beside it.
        tables = len(written) - 1
        listed = f"{written[0]} and {tables} CSV table{'s' * (tables != 1)} beside it"
        if pane.failure is not None:
            self.notify(
                f"Wrote the last good result, {listed}: the latest refit failed ({pane.failure}).",
                title="Exported",
                severity="warning",
            )
            return
        self.notify(f"Wrote {listed}.", title="Exported")

    def action_export_script(self) -> None:
        pane = self.current_pane
        if pane is None:
            return
        try:
            text = pane.lab.script_text(pane.params)
            from reglab.core.export import timestamp

            name = f"reglab-{pane.lab.name}-{timestamp()}.py"
            written = write_text_atomic(self.export_dir / name, text)
        except ReglabError as error:  # no script for these settings: say why
            self.notify(str(error), title="No script", severity="warning")
            return
        except OSError as error:
            self.notify(f"Script not written: {error}", severity="error")
            return
        self.notify(f"Wrote {written}: python {written.name} prints this result's key numbers.")

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save the screen as an SVG, by default named after the lab in the export folder
        (App's signature: ``filename`` and ``path`` override those defaults). A taken name
        gets a -1, -2, ... suffix."""
        from reglab.core.export import timestamp

        name = filename or f"reglab-{self.current_tab.lab.name}-{timestamp()}.svg"
        try:
            written = write_text_atomic(
                Path(path or self.export_dir) / name, self.export_screenshot()
            )
        except OSError as error:
            self.notify(f"Screenshot failed: {error}", severity="error")
            return
        self.notify(f"Wrote {written}", title="Screenshot")

    # --- screens --------------------------------------------------------------------------

    def pop_screen(self) -> AwaitComplete:
        """Never pop the last screen: a dialog closed twice in a burst of keys (two enters
        on the palette) asks for a second pop after the first has happened."""
        if len(self.screen_stack) <= 1:
            return done(self)
        return super().pop_screen()

    # Textual's theme and command searches push a palette of their own: ours instead, with
    # its guards against key bursts (make fuzz caught Textual's answering escape twice).
    def search_commands(
        self, commands: Sequence[CommandListItem], placeholder: str = "Search for commands…"
    ) -> AwaitMount:
        provider = SimpleProvider(self.screen, list(commands))
        # A provider instance, as Textual's own search_commands passes (its hint is narrower).
        palette = Palette(providers=[provider], placeholder=placeholder)  # type: ignore[list-item]
        return self.push_screen(palette)

    def search_themes(self) -> None:
        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def action_command_palette(self) -> None:
        # Open, or closed but not yet removed (ctrl+p right behind the enter that closed it):
        # a second palette would then share its id.
        if self._palette is not None and self._palette.is_attached:
            return
        if self.use_command_palette:
            self._palette = Palette(id=PALETTE_ID)
            self.push_screen(self._palette)

    # --- internal errors ------------------------------------------------------------------

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action goes through here: a bug in one is logged and reported, and
        the session goes on."""
        if self.recorder is not None and action in RECORDED_ACTIONS:
            self.recorder.write("action", lab=self.current_tab.lab.name, action=action)
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # noqa: BLE001 - the safety net under every action
            self.notify(
                log_and_describe(f"action {action}", error),
                title="Internal error",
                severity="error",
                timeout=10,
            )
            return True

    def _handle_exception(self, error: Exception) -> None:
        # Textual ends the app on an error outside an action (a render, a handler): keep
        # the traceback in the log and say where it is on the way out.
        path = log_internal_error("the app", error)
        self._exit_renderables.append(f"reglab stopped on an internal error: see {path}")
        super()._handle_exception(error)
