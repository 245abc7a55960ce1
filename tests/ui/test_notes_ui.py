"""A library warning during a lab's job becomes a note on screen (status line, and every
note in full in its tooltip), not text printed over the terminal."""

from __future__ import annotations

from reglab.widgets.job_status import JobStatus
from reglab.widgets.param_panel import ParamPanel

from .helpers import ReglabApp, settle


async def test_a_warning_in_a_job_is_a_note_on_screen(capsys):
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        pane.query_one(ParamPanel).apply("alpha", "1e-14")  # ill-conditioned ridge solves
        await settle(app, pilot)
        status = pane.query_one(JobStatus)
        # Two notes, both on the status line: the alpha below the data's range, the warning.
        assert status.message.startswith("⚠ alpha=1e-14 lies below this data's range")
        assert "; LinAlgWarning (18x)" in status.message
        assert any("LinAlgWarning" in note for note in pane.result.notes)
        assert "⚠ LinAlgWarning" in str(status.tooltip)
    assert "LinAlgWarning" not in capsys.readouterr().err
