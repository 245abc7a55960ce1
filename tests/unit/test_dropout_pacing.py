"""The dropout tab's LivePacer: which epochs reach the live charts, on a simulated clock.

A simulated training reports an epoch every 25 ms; each update that goes through costs the
app ``redraw`` seconds of CPU outside the training thread. No real time is measured here.
"""

from __future__ import annotations

from dataclasses import dataclass

from reglab.core.jobs import Progress
from reglab.labs.dropout import LivePacer, paced

EPOCH = 0.025


class Simulation:
    """A wall clock and the app's CPU time outside the training thread."""

    def __init__(self, spent_before_first: float = 0.0) -> None:
        self.now = 0.0
        self.others = 0.0
        self.pacer = LivePacer(clock=lambda: self.now, others=lambda: self.others)
        self.others += spent_before_first  # the start's layout, before the first epoch

    def train(self, epochs: int, redraw: float, idle_load: float = 0.0) -> list[float]:
        """The times of the updates that went through; each costs ``redraw`` of CPU, and
        the app spends ``idle_load`` of every second on other work."""
        sent = []
        for _ in range(epochs):
            self.now += EPOCH
            self.others += idle_load * EPOCH
            if self.pacer.ready():
                sent.append(self.now)
                self.others += redraw
        return sent


def windows(sent: list[float]) -> list[float]:
    """The time each update after the first waited: the first update does not start a
    window (the second one's begins with the training)."""
    starts = [0.0, *sent[1:]]
    return [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]


def test_the_first_epoch_goes_at_once():
    assert Simulation().train(1, redraw=0.040) == [EPOCH]


def test_redraws_keep_the_apps_cpu_within_the_budget():
    simulation = Simulation()
    sent = simulation.train(400, redraw=0.040)  # 10 s of training
    # 40 ms at 4 %: one redraw a second, not one per epoch (nor the 2 Hz of a fixed rate).
    assert 9 <= len(sent) <= 11
    assert all(gap >= 0.040 / simulation.pacer.budget - 1e-9 for gap in windows(sent))
    assert simulation.others <= simulation.pacer.budget * simulation.now + 0.040


def test_cheaper_redraws_come_sooner_but_never_above_ten_a_second():
    cheap = Simulation().train(400, redraw=0.005)
    free = Simulation().train(400, redraw=0.0)
    dear = Simulation().train(400, redraw=0.040)
    assert len(dear) < len(cheap) <= len(free)
    assert min(windows(free)) >= LivePacer().shortest - 1e-9
    assert len(free) <= 10 * 10 + 1


def test_the_starts_own_cost_counts_against_the_second_update():
    sent = Simulation(spent_before_first=0.020).train(400, redraw=0.040)
    # 20 ms before the first epoch and 40 ms for its redraw: 1.5 s at 4 %.
    assert sent[0] == EPOCH and sent[1] >= 0.060 / LivePacer().budget - 1e-9


def test_a_busy_app_still_gets_an_update_every_longest_seconds():
    sent = Simulation().train(400, redraw=0.040, idle_load=0.5)  # busy with other work
    longest = LivePacer().longest
    assert len(sent) >= 4
    assert all(longest - 1e-9 <= gap <= longest + EPOCH + 1e-9 for gap in windows(sent))


def test_an_urgent_update_goes_at_once_and_the_next_one_pays_for_it():
    simulation = Simulation()
    simulation.train(2, redraw=0.040)  # the first epoch's redraw: the budget is spent
    assert not simulation.pacer.ready()
    assert simulation.pacer.ready(urgent=True)  # a key changed something the chart marks
    simulation.others += 0.040
    sent = simulation.train(400, redraw=0.040)
    assert sent[0] - 2 * EPOCH >= 0.040 / simulation.pacer.budget - 1e-9


@dataclass(frozen=True)
class Snapshot:
    """What ``paced`` reads of a TrainingSnapshot: its epoch and live changes."""

    epoch: int
    changes: tuple[str, ...] = ()


class EveryThird(LivePacer):
    """Lets every third epoch through, and any urgent one; records which were urgent."""

    def __init__(self) -> None:
        self.calls = 0
        self.urgent: list[int] = []

    def ready(self, urgent: bool = False) -> bool:
        self.calls += 1
        if urgent:
            self.urgent.append(self.calls)
        return urgent or self.calls % 3 == 1


def test_paced_progress_skips_only_snapshots_the_pacer_holds_back():
    received: list[Progress] = []
    progress = paced(received.append, EveryThird())
    progress(Progress(0.0, "loading torch"))  # no snapshot: always through
    for epoch in range(1, 8):
        progress(Progress(epoch / 7, f"epoch {epoch}", partial=Snapshot(epoch)))
    assert [getattr(update.partial, "epoch", None) for update in received] == [None, 1, 4, 7]


def test_the_first_epoch_after_a_live_change_is_urgent():
    pacer, received = EveryThird(), list[Progress]()
    progress = paced(received.append, pacer)
    for epoch in range(1, 10):
        changes = ("weight_decay",) * (epoch >= 5)  # a key turned weight decay at epoch 5
        progress(Progress(epoch / 9, partial=Snapshot(epoch, changes)))
    assert pacer.urgent == [5]
    assert [update.partial.epoch for update in received] == [1, 4, 5, 7]
