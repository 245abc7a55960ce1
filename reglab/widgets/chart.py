"""A textual-plotext chart whose picture is built off the UI thread.

Labs hand the chart a function ``draw(plt, size)`` built from a result. Building a plotext
picture is pure Python and takes 5–50 ms (a 20-line regularization path); done in ``render``
it held the event loop for that long on every key. So one builder thread builds every chart's
picture (plotext keeps module state: one thread, never two) and posts it back; ``render``
only returns the newest picture. Requests coalesce per chart: a chart asked to redraw five
times while the builder is busy builds once, from the newest drawing.

plotext and textual-plotext (16 ms to import) load on the builder thread, with the first
build (``reglab.widgets.plot_build``): the first frame, whose charts say "computing…",
does not wait for them.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from textual_plotext.plot import Plot

# A drawing gets the plot and the size it is built for: it runs on the builder thread,
# where asking the widget for its size would race the layout.
Draw = Callable[["Plot", Size], None]


@dataclass(frozen=True)
class Drawing:
    """What one build needs, captured on the UI thread when the redraw is asked for."""

    token: int
    draw: Draw
    title: str
    width: int
    height: int
    theme: ChartTheme
    # Pinned runs, drawn first, under the live one; each returns what goes on top of it.
    overlays: tuple[Callable[[Plot, Size], Any], ...] = ()


class ChartBuilder:
    """The one thread that builds plotext pictures: charts in the order they asked, each
    from its newest request."""

    def __init__(self) -> None:
        self._waiting: dict[Chart, Drawing] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, chart: Chart, drawing: Drawing) -> None:
        with self._wake:
            self._waiting[chart] = drawing  # replaces an older request not yet started
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="reglab-charts", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._waiting:
                    self._wake.wait()
                chart = next(iter(self._waiting))
                drawing = self._waiting.pop(chart)
            from reglab.widgets.plot_build import build_picture  # plotext: here, not at start

            chart.post_message(Chart.Built(drawing.token, build_picture(chart, drawing)))


BUILDER = ChartBuilder()


@dataclass(frozen=True)
class ChartTheme:
    """The app theme's colours for charts, read on the UI thread: the name plotext knows it
    by, and the surface and foreground (None: the terminal's own colours, as the ANSI
    themes leave them)."""

    name: str
    surface: tuple[int, int, int] | None
    foreground: tuple[int, int, int] | None

    @classmethod
    def of(cls, app: Any) -> ChartTheme:
        variables = app.theme_variables
        colors = [Color.parse(variables[key]) for key in ("surface", "foreground")]
        # The name textual-plotext gives an app theme ("auto" mode).
        name = f"textual-auto-{app.theme}"
        if any(color.a == 0 or color.ansi is not None for color in colors):
            return cls(name, None, None)
        surface, foreground = (color.rgb for color in colors)
        return cls(name, surface, foreground)


class Chart(Widget):
    """One plotext figure; ``show(draw)`` replaces what it draws."""

    DEFAULT_CSS = """
    Chart {
        width: 1fr;
        height: 1fr;
    }
    """

    @dataclass
    class Built(Message):
        """Posted by the builder thread: the picture for request ``token``."""

        token: int
        picture: Text

    def __init__(self, title: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.chart_title = title
        self._draw: Draw | None = None
        self._requested = 0  # token of the newest build asked for (0: none yet)
        self._shown = 0  # token of the picture on screen
        self._picture: Text | None = None
        self._unseen = False  # a new picture waits for the other charts' (on_chart_built)
        self.plt: Plot | None = None  # textual-plotext's, made by the builder thread
        # Pinned runs drawn under the live one (``reglab.widgets.pins``); while ``capture``
        # is a dict, ``show`` records its drawing there instead of drawing.
        self.overlays: tuple[Callable[[Plot, Size], Any], ...] = ()
        self.capture: dict[Chart, Draw] | None = None

    @property
    def drawing(self) -> bool:
        """A build asked for has not reached the screen yet."""
        return self._shown != self._requested

    def show(self, draw: Draw) -> None:
        if self.capture is not None:
            self.capture[self] = draw
            return
        self._draw = draw
        self._request_build()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._request_build())

    def on_resize(self, event: events.Resize) -> None:
        self._request_build()

    def _request_build(self) -> None:
        width, height = self.size
        if self._draw is None or not width or not height:
            return  # nothing to draw yet, or hidden: a resize asks again when it shows
        self._requested += 1
        drawing = Drawing(
            self._requested,
            self._draw,
            self.chart_title,
            width,
            height,
            ChartTheme.of(self.app),
            self.overlays,
        )
        BUILDER.submit(self, drawing)

    def on_chart_built(self, message: Chart.Built) -> None:
        message.stop()
        if message.token > self._shown:
            self._shown = message.token
            self._picture = message.picture
            self._unseen = True
            # The charts of one result reach the screen in one frame, once the last of them
            # is built: a frame per chart cost the last one a frame's wait (up to 17 ms at
            # Textual's 60 fps) behind the first one's repaint.
            charts = list(self.screen.query(Chart))
            if not any(chart.drawing for chart in charts):
                for chart in charts:
                    if chart._unseen:
                        chart._unseen = False
                        chart.refresh()

    def render(self):
        if self._picture is None:
            # Nothing built yet: no plotext before the first result keeps first paint cheap.
            return f"{self.chart_title}\n\ncomputing…"
        return self._picture


def mark_x(plt: Plot, x: float, color: str = "red") -> None:
    """A vertical marker line at ``x`` (the chosen alpha, the early-stopping epoch, ...)."""
    plt.vline(x, color)


def learning_rows(curve: dict, name: str) -> list[tuple[float, float, float]]:
    """(size, mean, std) of one series ("train" or "test") of a result's ``learning_curve``,
    finite ones only (a size whose fits failed, e.g. on one class, is NaN)."""
    return [
        (size, mean, std)
        for size, mean, std in zip(
            curve["train_sizes"], curve[f"{name}_mean"], curve[f"{name}_std"], strict=True
        )
        if math.isfinite(mean) and math.isfinite(std)
    ]
