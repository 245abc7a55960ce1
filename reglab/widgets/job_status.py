"""One line under the charts: what the lab's background job is doing."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widget import Widget

from reglab.core.jobs import Progress

BAR_WIDTH = 20
CANCEL_HINT = "x: cancel"


class JobStatus(Widget):
    """A progress bar and message while a job runs; its time and notes when it is done.

    One widget that draws both, not a ProgressBar beside a Label: showing and hiding a
    child on every key asked for a layout pass of the whole screen (6 ms of the UI thread
    per key). Its size never changes, so every update is a repaint of one line.
    """

    COMPONENT_CLASSES = {"job-status--bar", "job-status--rest"}
    DEFAULT_CSS = """
    JobStatus {
        width: 1fr;
        & > .job-status--bar { color: $primary; }
        & > .job-status--rest { color: $surface-lighten-2; }
    }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._message = "waiting for the first result…"
        self._fraction: float | None = None  # None: no job running, no bar

    @property
    def message(self) -> str:
        return self._message

    def render(self) -> Content | Text:
        if self._fraction is None:
            return Content(self._message)
        done = round(self._fraction * BAR_WIDTH)
        line = Text()
        line.append("━" * done, self.get_component_rich_style("job-status--bar"))
        line.append("━" * (BAR_WIDTH - done), self.get_component_rich_style("job-status--rest"))
        # The key first: a long message is cut at the screen's edge, the way out must not be.
        line.append(f" {self._fraction:4.0%}  {CANCEL_HINT}  {self._message}")
        return line

    def _set(self, text: str, fraction: float | None, variant: str = "") -> None:
        self._message, self._fraction = text, fraction
        self.remove_class("-warning", "-error")
        if variant:
            self.add_class(variant)
        self.refresh()

    def move(self, fraction: float) -> None:
        """Move the bar of the running job; the message stays."""
        self._fraction = fraction
        self.refresh()

    def running(self, progress: Progress | None = None) -> None:
        text = progress.message if progress and progress.message else "computing"
        self._set(text, progress.fraction if progress else 0.0)

    def done(self, seconds: float, notes: tuple[str, ...] = ()) -> None:
        # The time goes in the tooltip so the visible line (and every snapshot) is stable.
        took = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"
        # The line shows what fits; the tooltip every note in full.
        self.tooltip = "\n".join([f"last computation took {took}", *(f"⚠ {n}" for n in notes)])
        if notes:
            self._set(f"⚠ {'; '.join(notes)}", None, variant="-warning")
        else:
            self._set("✓ up to date", None)

    def stopped(self, text: str, variant: str = "-warning") -> None:
        self._set(text, None, variant=variant)
