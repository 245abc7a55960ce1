"""The dropout tab: live curves, newest parameters win, live regularization keys, stop, quit.

Training is CPU-bound and ``Pilot.press``/``pause`` wait for the process to go idle (up to
a second each), so every wait here polls a condition instead of timing anything, and runs
that must outlast several key presses are long (patience 0, many epochs) and are ended by
a key rather than waited for.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from textual.binding import Binding
from textual.widgets import Static

from reglab.core.dropout.params import DropoutParams
from reglab.core.errors import Cancelled
from reglab.labs import dropout as dropout_tab
from reglab.labs.dropout import Comparison, DropoutPane, LivePacer
from reglab.widgets.chart import Chart
from reglab.widgets.param_panel import ParamPanel, ParamRow
from tests.ui.helpers import ReglabApp, focused_row, metric_text, settle

LONG = {"patience": 0, "max_epochs": 2000}  # ended by a key, never waited for


async def wait_until(pilot, condition: Callable[[], Any], what: str, rounds: int = 300) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"gave up waiting for {what}")


async def open_dropout(app: ReglabApp, pilot) -> DropoutPane:
    """Show the dropout tab once the app's first tab has settled; return its pane."""
    await settle(app, pilot)
    app.show_lab("dropout")

    def ready() -> bool:
        panes = app.query(DropoutPane)
        return bool(panes) and panes.first().started and panes.first() in app.focused.ancestors

    await wait_until(pilot, lambda: app.focused is not None and ready(), "the dropout tab")
    return app.query_one(DropoutPane)


def configure(pane: DropoutPane, **values: Any) -> None:
    """Set parameters as the controls do (a change: the running training is replaced)."""
    pane.query_one(ParamPanel).set_params(DropoutParams(**values), changed="all")


def explanation_text(pane: DropoutPane) -> str:
    """The text under the charts: its first line holds the shown result's numbers."""
    return str(pane.query_one(".explanation", Static).content)


class Jobs:
    """Records every training the pane runs (from its worker threads) and every epoch
    count its charts receive through ``show_progress``, with the generation shown."""

    def __init__(self, pane: DropoutPane) -> None:
        self.pane = pane
        self.started: list[dict[str, Any]] = []
        self.drawn: list[tuple[int, int]] = []  # (generation, epochs on the chart)
        self.all_ended = threading.Event()
        compute, show_progress = pane.runner.compute, pane.show_progress

        def recording(params, progress, cancelled):
            job = {"dropout": params.dropout, "epochs": 0, "outcome": "running"}
            self.started.append(job)
            self.all_ended.clear()

            def counting(update) -> None:
                if update.partial is not None:
                    job["epochs"] = getattr(update.partial, "chosen", update.partial).epoch
                progress(update)

            try:
                result = compute(params, counting, cancelled)
            except Cancelled:
                job["outcome"] = "cancelled"
                raise
            finally:
                if job["outcome"] == "running":
                    job["outcome"] = "done"
                self.all_ended.set()
            return result

        def drawing(progress) -> None:
            show_progress(progress)
            if progress.partial is not None:
                self.drawn.append((pane.runner.generation, pane.shown[-1].epoch))

        pane.runner.compute = recording
        pane.show_progress = drawing

    def epochs_drawn(self, generation: int) -> list[int]:
        return [epochs for shown, epochs in self.drawn if shown == generation]

    @property
    def last(self) -> dict[str, Any]:
        return self.started[-1]


async def test_live_curves_newest_dropout_wins_and_keys_stay_responsive():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_dropout(app, pilot)
        jobs = Jobs(pane)
        configure(pane, **LONG)
        await wait_until(
            pilot,
            lambda: max(jobs.epochs_drawn(pane.runner.generation), default=0) >= 3,
            "3 epochs",
        )
        first_generation, first_job = pane.runner.generation, jobs.last
        assert first_job["outcome"] == "running" and first_job["dropout"] == 0.3
        # The chart received the growing history from show_progress, not a final result.
        assert pane.result is None or pane.result.params.max_epochs != 2000
        assert pane.shown[0].epoch >= 3 and pane.shown[0].result is None
        assert pane.query_one("#loss-chart", Chart)._draw is not None

        assert focused_row(app).param_name == "dropout"
        await pilot.press("right")  # dropout 0.3 -> 0.35 while training
        assert pane.params.dropout == 0.35
        assert pane.runner.generation == first_generation + 1

        await wait_until(
            pilot,
            lambda: (
                first_job["outcome"] == "cancelled" and jobs.epochs_drawn(pane.runner.generation)
            ),
            "the old run cancelled and the new one drawing",
        )
        assert first_job["epochs"] < LONG["max_epochs"]
        assert jobs.last["dropout"] == 0.35 and jobs.last["outcome"] == "running"
        # The new history starts again from epoch 1 on the chart.
        new_run = pane.shown[0]
        assert new_run.dropout == 0.35 and new_run.history[0].epoch == 1
        assert jobs.epochs_drawn(pane.runner.generation)[0] < max(
            jobs.epochs_drawn(first_generation)
        )

        # A key during training is handled within the press's own pause.
        await pilot.press("down")
        assert focused_row(app).param_name == "weight_decay"
        assert jobs.last["outcome"] == "running"

        await pilot.press("x")
        await wait_until(pilot, lambda: jobs.last["outcome"] == "cancelled", "cancel")
        await wait_until(pilot, lambda: not pane.runner.busy, "the cancelled job's end")


async def test_the_charts_draw_only_the_epochs_the_pacer_lets_through(monkeypatch):
    class EveryThird(LivePacer):
        def __init__(self) -> None:
            self.epochs = 0

        def ready(self, urgent: bool = False) -> bool:
            self.epochs += 1
            return self.epochs % 3 == 1

    monkeypatch.setattr(dropout_tab, "LivePacer", EveryThird)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_dropout(app, pilot)
        jobs = Jobs(pane)
        configure(pane, patience=0, max_epochs=9)
        await settle(app, pilot)
        assert jobs.epochs_drawn(pane.runner.generation) == [1, 4, 7]
        assert pane.shown[0].epoch == 9 and pane.result.stopped_epoch == 9  # then the result


async def test_live_regularization_keys_change_the_running_training_and_k_stops_it():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_dropout(app, pilot)
        jobs = Jobs(pane)
        configure(pane, **LONG)
        await wait_until(
            pilot,
            lambda: max(jobs.epochs_drawn(pane.runner.generation), default=0) >= 2,
            "2 epochs",
        )
        generation, job = pane.runner.generation, jobs.last
        panel = pane.query_one(ParamPanel)

        await pilot.press("w", "l", "a")  # weight decay and L1 up a decade, AdamW
        assert pane.params.weight_decay == 1e-6 and panel.row("weight_decay").value == 1e-6
        assert pane.params.l1 == 1e-7 and panel.row("l1").value == 1e-7
        assert pane.params.optimizer == "adamw"
        assert pane.runner.generation == generation and jobs.last is job  # no restart
        await wait_until(pilot, lambda: len(pane.shown[0].changes) == 3, "changes on the chart")

        await pilot.press("k")
        await settle(app, pilot)
        result = pane.result
        assert jobs.last is job and job["outcome"] == "done"
        assert result.stopped_by_user and not result.early_stopped
        assert result.stopped_epoch < LONG["max_epochs"]
        assert 1 <= result.best_epoch <= result.stopped_epoch
        assert result.params.weight_decay == 0  # what it started with ...
        assert {c.name for c in result.regularization_changes} == {
            "weight_decay",
            "l1",
            "optimizer",
        }
        assert result.final_regularization == {
            "weight_decay": 1e-6,
            "l1": 1e-7,
            "optimizer": "adamw",
        }  # ... and what it ended with
        assert "stopped by you" in metric_text(app) and "live changes 3" in metric_text(app)
        assert f"{100 * result.test_accuracy:.1f}%" in metric_text(app)
        assert explanation_text(pane).startswith(
            f"Measured: test accuracy {100 * result.test_accuracy:.1f}% at dropout 0.3 "
            f"(best epoch {result.best_epoch}, stopped by you at {result.stopped_epoch})."
        )


async def test_train_again_is_deterministic_and_compare_trains_dropout_zero_beside():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_dropout(app, pilot)
        configure(pane, patience=0, max_epochs=4)
        await settle(app, pilot)
        first = pane.result
        assert first.stopped_epoch == 4 and "epoch 4/4" in metric_text(app)

        await pilot.press("t")
        await settle(app, pilot)
        assert pane.result is not first and pane.result.history == first.history

        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(pane.result, Comparison)
        baseline, chosen = pane.result.runs
        assert (baseline.params.dropout, chosen.params.dropout) == (0.0, 0.3)
        assert chosen.history == first.history
        assert "dropout 0 · 0.3" in metric_text(app)
        assert pane.result.to_json()["mode"] == "compare"

        shown = pane.result
        await pilot.press("k")  # nothing trains: a note, nothing else
        await settle(app, pilot)
        assert pane.result is shown
        assert any("Nothing is training" in n.message for n in app._notifications)


async def test_quit_during_training_cancels_it_at_once():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_dropout(app, pilot)
        jobs = Jobs(pane)
        configure(pane, **LONG)
        await wait_until(
            pilot,
            lambda: max(jobs.epochs_drawn(pane.runner.generation), default=0) >= 2,
            "2 epochs",
        )
        job = jobs.last
        await pilot.press("q")
    # The worker polls cancellation every batch: it ends long before its 2000 epochs
    # (were it not cancelled, this would wait a minute and the outcome would be "done").
    assert await asyncio.to_thread(jobs.all_ended.wait, 60)
    assert job["outcome"] == "cancelled" and job["epochs"] < LONG["max_epochs"]


async def test_o_compares_with_dropout_zero_trained_without_early_stopping():
    # The key is the dropout tab's own: no app, panel or row key takes it.
    keys = [
        binding.key
        for cls in (ReglabApp, ParamPanel, ParamRow, DropoutPane)
        for binding in cls.BINDINGS
        if isinstance(binding, Binding)
    ]
    assert keys.count("o") == 1
    app = ReglabApp(warm=False, keymap_file=None)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_dropout(app, pilot)
        assert app.active_bindings["o"].binding.id == "dropout.compare-no-early-stop"
        configure(pane, dropout=0.1, patience=2, max_epochs=12)  # p = 0.1 stops at epoch 10
        await settle(app, pilot)
        single = pane.result
        assert single.early_stopped
        assert f"test accuracy {100 * single.test_accuracy:.1f}% at dropout 0.1" in (
            explanation_text(pane)
        )

        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(pane.result, Comparison)
        baseline, chosen = pane.result.runs
        assert (baseline.params.dropout, baseline.params.patience) == (0.0, 0)
        assert chosen.params == single.params and chosen.history == single.history
        assert not baseline.early_stopped and baseline.stopped_epoch == 12
        assert len(pane.shown) == 2 and pane.shown[0].label == "p=0 no stop"
        numbers = metric_text(app)
        assert "dropout 0 · 0.1" in numbers and "patience 0 · 2" in numbers
        assert "epoch 12 · 10" in numbers
        # The explanation's numbers are the result's, not typed-in ones.
        gain = 100 * (chosen.test_accuracy - baseline.test_accuracy)
        best = baseline.history[baseline.best_epoch - 1]
        text = explanation_text(pane)
        assert (
            f"test accuracy {100 * baseline.test_accuracy:.1f}% at dropout 0, "
            f"{100 * chosen.test_accuracy:.1f}% at 0.1 ({gain:+.1f} points)"
        ) in text
        assert f"val loss {best.val_loss:.2f} at epoch {best.epoch}" in text
        assert f"{baseline.history[-1].val_loss:.2f} at 12" in text

        await pilot.press("c")  # the other comparison: dropout 0 with the same patience
        await settle(app, pilot)
        baseline, chosen = pane.result.runs
        assert (baseline.params.dropout, baseline.params.patience) == (0.0, 2)
        assert "patience" not in metric_text(app)

        await pilot.press("c")  # its key again: one training
        await settle(app, pilot)
        assert not isinstance(pane.result, Comparison)
        assert pane.result.history == single.history
