"""One line under the charts: what the lab's background job is doing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from reglab.core.jobs import Progress


class JobStatus(Horizontal):
    """A progress bar while a job runs; its time and notes when it is done."""

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1.0, show_eta=False, show_percentage=True, id="job-progress")
        yield Label("waiting for the first result…", id="job-message")

    @property
    def message(self) -> str:
        return str(self.query_one("#job-message", Label).content)

    def _set(self, text: str, running: bool, variant: str = "") -> None:
        bar = self.query_one(ProgressBar)
        bar.display = running
        label = self.query_one("#job-message", Label)
        label.update(text, layout=False)  # one line of fixed width: a repaint will do
        label.set_classes(variant)

    def running(self, progress: Progress | None = None) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(progress=progress.fraction if progress else 0.0)
        text = progress.message if progress and progress.message else "computing"
        self._set(f"{text}  (x: cancel)", running=True)

    def done(self, seconds: float, notes: tuple[str, ...] = ()) -> None:
        # The time goes in the tooltip so the visible line (and every snapshot) is stable.
        took = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"
        # The line shows what fits; the tooltip every note in full.
        self.tooltip = "\n".join([f"last computation took {took}", *(f"⚠ {n}" for n in notes)])
        if notes:
            self._set(f"⚠ {'; '.join(notes)}", running=False, variant="-warning")
        else:
            self._set("✓ up to date", running=False)

    def stopped(self, text: str, variant: str = "-warning") -> None:
        self._set(text, running=False, variant=variant)
