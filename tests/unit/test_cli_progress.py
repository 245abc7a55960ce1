"""``reglab run``'s progress bar: on a terminal after the delay, cleared at the end, and
nothing at all where stderr is a pipe (so --json stays clean)."""

from __future__ import annotations

import io
import sys

from reglab.cli import main
from reglab.cli_progress import stderr_progress
from reglab.core.jobs import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_where_stderr_is_not_a_terminal():
    with stderr_progress(io.StringIO()) as progress:
        assert progress is None


def test_the_bar_appears_after_the_delay_and_is_cleared_at_the_end():
    now = [0.0]
    terminal = Terminal()
    with stderr_progress(terminal, delay=1.0, clock=lambda: now[0]) as progress:
        assert progress is not None
        progress(Progress(0.2, "fold 1/5"))
        assert terminal.getvalue() == ""  # a fast job prints nothing
        now[0] = 1.5
        progress(Progress(0.6, "fold 3/5"))
    drawn = terminal.getvalue()
    assert "fold 3/5" in drawn and "60%" in drawn
    assert "fold 1/5" not in drawn
    assert drawn.endswith("\x1b[1A\x1b[2K")  # transient: the bar's line is erased


def test_run_json_on_a_pipe_writes_only_the_json(capsys):
    assert not sys.stderr.isatty()
    assert main(["run", "bias-variance", "--set", "rounds=20", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.startswith("{")
