"""The frame every lab tab shares: controls, numbers, charts, explanation and job status.

A lab subclass (named by its registry entry) declares ``EXPLANATION`` and its charts, and turns
a result into pictures and numbers in ``show_result``. Everything numerical happens in
``reglab.core``; this class only routes parameter changes to the runner and results back.

A pane lives in its lab's tab (``reglab.labs.LabTab``), which creates it when the tab is
first shown: styling every widget of every lab up front would slow the first paint.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from reglab.compute import JobDone, JobFailed, JobMessage, JobProgress, LabRunner
from reglab.compute.warmup import import_computation
from reglab.core.errors import ReglabError
from reglab.core.jobs import Progress
from reglab.core.registry import Lab
from reglab.core.spec import LabParams
from reglab.errorlog import describe, log_and_describe, log_file
from reglab.widgets.chart import Chart
from reglab.widgets.job_status import JobStatus
from reglab.widgets.metrics import Metrics
from reglab.widgets.param_panel import ParamPanel
from reglab.widgets.pins import MAX_PINS, Pin, PinTable, capture, pinned_drawing

# A pane's parameters and what its computation returns (usually a ``LabResult``; the
# dropout lab's compare mode returns a wrapper with the same ``notes``/``to_json``).
P = TypeVar("P", bound=LabParams)
R = TypeVar("R")


class LabPane(Widget, Generic[P, R]):
    """Base class of a lab tab. Subclasses fill in the class variables and two methods."""

    BINDINGS = [
        # Off the footer (it is full at 80 columns); on the ? screen and in the palette.
        Binding(
            "p",
            "pin",
            "pin",
            tooltip="Pin this result: the charts keep it under the next one",
            show=False,
            id="lab.pin",
        ),
        Binding(
            "P",
            "clear_pins",
            "clear pins",
            tooltip="Clear the pinned results",
            show=False,
            id="lab.clear-pins",
        ),
        Binding(
            "n",
            "next_chart",
            "next chart",
            tooltip="Show the next chart (a small terminal shows one at a time)",
            show=False,
            id="lab.next-chart",
        ),
    ]

    EXPLANATION: ClassVar[str]
    # Long jobs are cancelled when parameters change instead of being waited for.
    CANCEL_RUNNING: ClassVar[bool] = False
    # Least seconds between two progress messages: labs that redraw charts from every
    # message (live training) raise it, since each redraw takes time from the job.
    PROGRESS_INTERVAL: ClassVar[float] = 0.05

    def __init__(self, lab: Lab, *, params: LabParams | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lab = lab
        self._initial_params = params or lab.params()
        self.result: R | None = None
        self.pins: list[Pin] = []  # pinned results, oldest first (at most MAX_PINS)
        self.chart_index = 0  # the chart a short terminal shows (n: the next)
        self.failure: str | None = None  # why the newest job failed, while it is on screen
        self._last_partial: object = None  # the partial result drawn last
        self.runner = LabRunner(
            self,
            lab.name,
            self._compute_job,
            cancel_running=self.CANCEL_RUNNING,
            progress_interval=self.PROGRESS_INTERVAL,
        )
        self._started = False
        # The generation whose outcome (result, error, cancel) is on screen.
        self.settled_generation = 0

    @classmethod
    def lab_bindings(cls) -> list[Binding]:
        """Every lab's keys (pins, charts) and then this lab's own: what Textual merges."""
        chain = [c for c in reversed(cls.__mro__) if issubclass(c, LabPane)]
        return [b for c in chain for b in c.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]

    # --- what a lab provides --------------------------------------------------------

    def compose_charts(self) -> ComposeResult:
        raise NotImplementedError

    def show_result(self, result: R) -> None:
        """Draw ``result`` (charts, numbers); called on the UI thread for the newest result."""
        raise NotImplementedError

    def compute(self, params: P, progress, cancelled) -> R:
        """Runs in a worker thread; labs with extra live controls override it."""
        return self.lab.run(params, progress=progress, cancelled=cancelled)

    def _compute_job(self, params: P, progress, cancelled) -> R:
        """The runner's job: the lab's computation imported first, never beside the warm-up."""
        import_computation(self.lab.compute)
        return self.compute(params, progress, cancelled)

    # --- the frame --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(classes="lab-body"):
            with VerticalScroll(classes="lab-side"):
                panel = ParamPanel(self._initial_params, classes="params")
                panel.border_title = "Parameters"
                yield panel
                metrics = Metrics(classes="metrics")
                metrics.border_title = "Numbers"
                yield metrics
                pin_table = PinTable(classes="pins")
                pin_table.display = False
                yield pin_table
            with Vertical(classes="lab-main"):
                yield Static(classes="chart-switcher")
                with Vertical(classes="charts"):
                    yield from self.compose_charts()
                yield Static(self.EXPLANATION, classes="explanation")
                yield JobStatus(classes="job-status")

    @property
    def built(self) -> bool:
        """Mounted: controls, charts and status exist (a lab's watchers may fire before)."""
        return self.is_mounted

    @property
    def params(self) -> P:
        # The panel was built from the lab's own params class.
        return cast(P, self.query_one(ParamPanel).params)

    @property
    def started(self) -> bool:
        return self._started

    @property
    def idle(self) -> bool:
        """Started, nothing running or pending, and the newest outcome is on screen."""
        return (
            self._started
            and not self.runner.busy
            and self.settled_generation == self.runner.generation
        )

    def start(self) -> None:
        """Compute the first result; the app calls it when the tab is first shown."""
        if not self._started:
            self._started = True
            self.refit()

    def refit(self, params: P | None = None) -> None:
        """Compute ``params`` (the panel's, by default) in the background. Before the pane is
        mounted there is nothing to compute from: ``start`` runs once it is."""
        if not self.built:
            return
        self.query_one(JobStatus).running()
        self.runner.submit(self.params if params is None else params)

    def cancel(self) -> bool:
        if self.runner.cancel():
            self.settled_generation = self.runner.generation
            self.query_one(JobStatus).stopped(
                "cancelled — change a parameter or press ctrl+r to run again"
            )
            return True
        return False

    def on_unmount(self) -> None:
        self.runner.shutdown()  # the app is quitting: stop the job at its next check

    def focus_controls(self) -> None:
        self.query_one(ParamPanel).focus_first()

    @on(ParamPanel.ParamsChanged)
    def _params_changed(self, event: ParamPanel.ParamsChanged) -> None:
        # Not stopped: the app keeps the new values (saved settings, a recording).
        self._started = True
        self.refit(cast(P, event.params))

    # --- job messages (posted from worker threads) ------------------------------------

    @on(JobMessage)
    def _job_message(self, message: JobMessage) -> None:
        message.stop()
        if not self.runner.accept(message):
            return  # a stale generation: its parameters are no longer the panel's
        try:
            self._show(message)
        except Exception as error:  # noqa: BLE001 - a drawing bug must not end the session
            self.notify(
                log_and_describe(f"the {self.lab.name} pane", error),
                title=f"{self.lab.title}: internal error",
                severity="error",
                timeout=10,
            )

    def _show(self, message: JobMessage) -> None:
        if isinstance(message, JobProgress):
            self.show_status(message.progress)
            self.show_progress(message.progress)
            return
        self.settled_generation = message.generation
        if isinstance(message, JobDone):
            self.result, self.failure = message.result, None
            self.query_one(ParamPanel).show_ranges(getattr(message.result, "ranges", {}))
            self.present(message.result)
            self.query_one(JobStatus).done(message.seconds, message.result.notes)
        elif isinstance(message, JobFailed):
            self._show_failure(message.error)

    # --- pins ------------------------------------------------------------------------------

    def action_pin(self) -> None:
        if self.result is None:
            self.notify("No result yet to pin.", severity="warning", timeout=3)
            return
        if len(self.pins) == MAX_PINS:
            dropped = self.pins.pop(0)
            self.notify(f"{MAX_PINS} pins at most: pin {dropped.number} let go.", timeout=3)
        taken = {pin.number for pin in self.pins}
        number = next(n for n in range(1, MAX_PINS + 1) if n not in taken)
        self.pins.append(Pin(number, self.result))
        self.present(self.result)

    def action_clear_pins(self) -> None:
        if self.pins:
            self.pins.clear()
            if self.result is not None:
                self.present(self.result)

    def present(self, result: R) -> None:
        """Show ``result`` with the pinned runs under it in every chart, and the pin table."""
        charts = list(self.query(Chart))
        overlays: dict[Chart, list] = {chart: [] for chart in charts}
        for pin in self.pins:
            with capture(charts) as drawn:
                self.show_result(pin.result)  # the live result's own show below restores state
            for chart, draw in drawn.items():
                overlays[chart].append(pinned_drawing(draw, pin.number))
        for chart in charts:
            chart.overlays = tuple(overlays[chart])
        self.show_result(result)
        self.query_one(PinTable).show(self.lab, self.pins, result)
        self.arrange_charts()

    # --- small terminals: one chart at a time ------------------------------------------------

    @property
    def compact(self) -> bool:
        """A short terminal (80x24): one chart at a time, the explanation behind ``?``."""
        return self.is_mounted and self.screen.has_class("-short")

    def _chart_slots(self) -> list[Widget]:
        """What the compact layout shows one at a time: the charts, or rows of charts,
        that the lab shows now."""
        holder = self.query_one(".charts")
        return [
            slot
            for slot in holder.children
            if slot.display and (isinstance(slot, Chart) or slot.query(Chart))
        ]

    def arrange_charts(self) -> None:
        if not self.built:
            return
        slots = self._chart_slots()
        cycling = self.compact and len(slots) > 1
        current = slots[self.chart_index % len(slots)] if slots else None
        for slot in self.query_one(".charts").children:
            slot.set_class(cycling and slot in slots and slot is not current, "-off-screen")
        switcher = self.query_one(".chart-switcher", Static)
        if switcher.display != cycling:  # setting it, even unchanged, costs a layout pass
            switcher.display = cycling
        if cycling and current is not None:
            number = slots.index(current) + 1
            switcher.update(f"[b]chart {number}/{len(slots)}[/b] [dim]· n: next chart[/dim]")
        self.query_one(Metrics).compact = self.compact

    def action_next_chart(self) -> None:
        self.chart_index += 1
        self.arrange_charts()

    @on(events.Resize)
    def _arrange_on_resize(self) -> None:
        self.arrange_charts()

    def show_status(self, progress: Progress) -> None:
        """Move the status line's bar and message for a running job."""
        self.query_one(JobStatus).running(progress)

    def show_progress(self, progress: Progress) -> None:
        """Draw each partial result a job streams once (the classification curve up to the
        C it reached, the trees' curve depth by depth), so long jobs fill in as they go.
        Labs whose partials are not results (live training snapshots) override this."""
        partial = progress.partial
        if partial is not None and partial is not self._last_partial:
            self._last_partial = partial
            self.show_result(partial)

    def _show_failure(self, error: BaseException) -> None:
        if isinstance(error, ReglabError):
            text, title = str(error), f"{self.lab.title}: cannot compute"
            notice = text
        else:  # the runner has logged it
            text, title = describe(error), f"{self.lab.title}: internal error"
            notice = f"{text} (details in {log_file()})"
        self.failure = text
        self.notify(notice, title=title, severity="error", timeout=8)
        self.query_one(JobStatus).stopped(f"✗ {text}", variant="-error")
