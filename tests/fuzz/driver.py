"""A seeded random-key driver for the whole app: keys in, crashes and stale numbers out.

Each session opens the app on one lab and sends keys drawn with a seeded generator from
every key reglab binds (app, labs, parameter rows, the help screen), the arrows with and
without shift, enter, escape, tab, the number keys, ``?``, ctrl+p and printable characters
(which land in value editors and the palette). Quitting is disabled: a quit is not a crash.

Small data guards keep each job quick: the labs run with few rounds, few epochs, few folds
and small data sets (``LIMITS``; the digits set is left out and iris is the default); sweeps
stay on local threads.

Then it waits for every job and checks that each started lab shows the numbers the core
computes for the parameters on screen, so no stale result can hide.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import random
import time
import traceback
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from textual import events
from textual.keys import _character_to_key, _get_unicode_name_from_key

from reglab.app import ReglabApp
from reglab.core.dropout.compute import baseline_params
from reglab.core.dropout.params import LIVE_KNOBS, DropoutParams
from reglab.core.registry import LABS
from reglab.core.spec import AUTO
from reglab.labs import pane_class
from reglab.labs.dropout import NO_EARLY_STOP
from reglab.screens.help import HelpScreen
from reglab.snapshot import settle
from reglab.widgets.job_status import JobStatus
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics
from reglab.widgets.param_panel import ParamPanel, ParamRow

# The most each heavy knob may reach during a fuzz run (its default is lowered to fit).
LIMITS: dict[str, float] = {
    "rounds": 10,
    "n_train": 100,
    "n_samples": 60,
    "max_epochs": 15,
    "max_iter": 200,
    "folds": 3,
    "n_estimators": 20,
}
# Choices the keys never reach: the digits set is slow, and backend=dask would start a
# LocalCluster of worker processes (its numbers are tested in tests/cluster).
LEFT_OUT_CHOICES = {"dataset": ("digits",), "backend": ("dask",)}
SMALL_DATA = "iris"
NAVIGATION = [
    *("up", "down", "left", "right"),
    *("shift+up", "shift+down", "shift+left", "shift+right"),
    *("enter", "escape", "tab", "shift+tab", "space", "backspace"),
    *("question_mark", "ctrl+p"),
]
PRINTABLE = list("0123456789.-e,abnoz ")
TAB_KEYS = [str(n) for n in range(1, 10)]
TAB_KEY_WEIGHT = 0.15  # a session stays mostly on its own lab, yet visits the others
MAX_BURST = 6  # keys sent back to back before waiting for the screen


def guarded_params(cls: type) -> type:
    """A subclass of a lab's params class whose heavy knobs are capped (see ``LIMITS``)."""
    fields = []
    for f in dataclasses.fields(cls):
        spec, default = f.metadata["spec"], f.default
        if f.name in LIMITS:
            spec = dataclasses.replace(spec, high=LIMITS[f.name])
            default = min(default, LIMITS[f.name])
        if f.name in LEFT_OUT_CHOICES:
            choices = tuple(c for c in spec.choices if c not in LEFT_OUT_CHOICES[f.name])
            spec = dataclasses.replace(spec, choices=choices)
        if f.name == "dataset" and spec.choices:
            # "auto" (lambda: the model's own reference data) is valid for every model;
            # iris would be refused by the regression models.
            if SMALL_DATA in spec.choices and default != AUTO:
                default = SMALL_DATA
        fields.append((f.name, f.type, field(default=default, metadata={"spec": spec})))
    return dataclasses.make_dataclass(cls.__name__, fields, bases=(cls,), frozen=True)


@contextmanager
def guarded_labs() -> Iterator[None]:
    """Swap every registered lab for its guarded twin for the duration."""
    originals = dict(LABS)
    twins = {name: f"guarded_{lab.params.__name__}" for name, lab in originals.items()}
    for name, lab in originals.items():
        globals()[twins[name]] = guarded_params(lab.params)  # the registry imports it by path
        LABS[name] = dataclasses.replace(lab, params_class=f"{__name__}:{twins[name]}")
    try:
        yield
    finally:
        LABS.clear()
        LABS.update(originals)
        for twin in twins.values():
            globals().pop(twin)


def key_pool() -> list[tuple[str, float]]:
    """Every key the driver may send, with its weight."""
    classes: list[Any] = [ReglabApp, HelpScreen, ParamRow, ParamPanel]
    classes += [pane_class(lab) for lab in LABS.values()]
    bound = {
        key.strip() for cls in classes for binding in cls.BINDINGS for key in binding.key.split(",")
    }
    keys = sorted((bound | set(NAVIGATION) | set(PRINTABLE)) - set(TAB_KEYS))
    return [(key, 1.0) for key in keys] + [(key, TAB_KEY_WEIGHT) for key in TAB_KEYS]


class FuzzApp(ReglabApp):
    """The real app, except that quitting is ignored (the driver ends the session)."""

    async def action_quit(self) -> None:
        pass


@dataclass
class Crash:
    lab: str
    bursts: list[list[str]]  # the keys of that session in their bursts; the last crashed it
    error: str

    def __str__(self) -> str:
        keys = " | ".join(" ".join(burst) for burst in self.bursts)
        count = sum(map(len, self.bursts))
        return f"{self.lab}: {self.error}\n  after {count} keys (| between bursts): {keys}"


@dataclass
class Report:
    lab: str
    seed: int
    keys_sent: int = 0
    crashes: list[Crash] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # labs whose numbers were compared
    seconds: float = 0.0


def computed(shown: Any, fresh: Any) -> tuple[dict, dict]:
    """Both results' JSON, less what the pane chose not to compute: a view it does not show
    (the penalties plane while its chart is hidden) is null in its result, not stale."""
    a, b = shown.to_json(), fresh.to_json()
    skipped = [key for key, value in a.items() if value is None and b.get(key) is not None]
    for key in skipped:
        a.pop(key), b.pop(key)
    return a, b


def same(a: Any, b: Any) -> bool:
    """JSON values equal, floats to 1e-9 (a BLAS may sum in another order)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (a != a and b != b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    return a == b


def up_to_date(pane: LabPane) -> bool:
    return pane.query_one(JobStatus).message.startswith(("✓", "⚠"))


async def rerun_stopped_labs(app: ReglabApp, pilot) -> None:
    """Run again every started lab whose last job was cancelled (the random keys hold x),
    and if none is then up to date (the keys left bad settings, e.g. iris for a regression
    model), reset the current lab's: the check below always has numbers to compare, however
    the timing of the keys turned out."""
    stopped = [p for p in app.panes if p.started and p.built and not up_to_date(p)]
    for pane in stopped:
        pane.refit()
    if stopped:
        await settle(app, pilot)
    pane = app.current_pane
    if not any(p.started and p.result is not None and up_to_date(p) for p in app.panes):
        panel = pane.query_one(ParamPanel)
        panel.set_params(panel.defaults, changed="all")
        await settle(app, pilot)


def check_shown_numbers(app: ReglabApp, report: Report) -> None:
    """Every started lab whose status says it is up to date shows the core's numbers for
    the parameters on its screen."""
    for pane in app.panes:
        if not pane.started or pane.result is None:
            continue
        if not up_to_date(pane):
            continue  # cancelled or failed: the status line says the numbers are older
        report.checked.append(pane.lab.name)
        if not shows_current_numbers(pane):
            report.stale.append(f"{pane.lab.name}: shown numbers are not those of {pane.params}")


def shows_current_numbers(pane: LabPane) -> bool:
    shown = pane.result
    runs = list(getattr(shown, "runs", [shown]))  # a dropout comparison holds two runs
    params = pane.params
    if len(runs) == 2:  # dropout 0 beside them, without early stopping in the "o" view
        patience = 0 if getattr(pane, "compare", None) == NO_EARLY_STOP else None
        wanted = [baseline_params(cast(DropoutParams, params), patience), params]
    else:
        wanted = [params]
    if any(
        getattr(run, "stopped_by_user", False) or getattr(run, "regularization_changes", [])
        for run in runs
    ):
        # A training steered or stopped live depends on more than its parameters: it must
        # have started from the panel's, the live knobs aside.
        def fixed(p: Any) -> dict:
            return {k: v for k, v in dataclasses.asdict(p).items() if k not in LIVE_KNOBS}

        return all(
            fixed(run.params) == fixed(w.effective()) for run, w in zip(runs, wanted, strict=True)
        )
    fresh = [pane.lab.run(w) for w in wanted]
    if not all(same(*computed(run, f)) for run, f in zip(runs, fresh, strict=True)):
        return False
    if len(runs) == 1:  # the numbers table, redrawn from the fresh result, reads the same
        rows = pane.query_one(Metrics).rows
        pane.show_result(fresh[0])
        return pane.query_one(Metrics).rows == rows
    return True


Bursts = list[list[str]]


def draw_bursts(rng: random.Random, keys: int) -> Bursts:
    """``keys`` keys in bursts of 1 to ``MAX_BURST``, drawn from the pool."""
    pool = key_pool()
    names = [key for key, _ in pool]
    weights = [weight for _, weight in pool]
    bursts: Bursts = []
    left = keys
    while left > 0:
        size = min(rng.randint(1, MAX_BURST), left)
        bursts.append(rng.choices(names, weights, k=size))
        left -= size
    return bursts


async def play(
    lab: str, bursts: Bursts, export_dir: Path, report: Report | None = None
) -> tuple[int, str | None]:
    """One app on ``lab``, the bursts in turn until one crashes it; returns how many were
    played and the crash, if any. With a ``report``, a session that survives has its shown
    numbers checked."""
    errors = _InternalErrors()  # bugs the app caught and logged count as crashes too
    logging.getLogger("reglab").addHandler(errors)
    app = FuzzApp(export_dir=export_dir, warm=False, keymap_file=None, start_lab=lab)
    app.animation_level = "none"
    played = 0
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            for burst in bursts:
                played += 1
                await send_keys(app, pilot, burst)
                # Textual's record of an unhandled error, or one of ours caught and logged.
                if app._exception is not None or errors.found:
                    break
            else:
                await settle(app, pilot)
                if report is not None:
                    await rerun_stopped_labs(app, pilot)
                    check_shown_numbers(app, report)
    except Exception as error:  # noqa: BLE001 - the crash is what we are here to record
        errors.found.append("".join(traceback.format_exception(error)).strip())
    finally:
        logging.getLogger("reglab").removeHandler(errors)
    return played, errors.found[0] if errors.found else None


def signature(crash: str) -> str:
    """The exception's type, from the last line of a traceback: one crash, many keys."""
    last = [line for line in crash.strip().splitlines() if line.strip()][-1]
    return last.split(":")[0].strip()


async def shrink(lab: str, bursts: Bursts, crash: str, export_dir: Path) -> Bursts:
    """A short key sequence that still gives the same crash: the fewest last bursts that
    do, then without each key that is not needed."""
    wanted = signature(crash)

    async def crashes(candidate: Bursts) -> bool:
        _, found = await play(lab, candidate, export_dir)
        return found is not None and signature(found) == wanted

    tail = len(bursts)
    for n in (1, 2, 3, 5, 8, 13, 21, 34):
        if n < len(bursts) and await crashes(bursts[-n:]):
            tail = n
            break
    best = [list(burst) for burst in bursts[-tail:]]
    for b in range(len(best)):
        k = 0
        while k < len(best[b]):
            candidate = [list(burst) for burst in best]
            del candidate[b][k]
            if await crashes([burst for burst in candidate if burst]):
                best = candidate
            else:
                k += 1
    return [burst for burst in best if burst]


async def send_keys(app: ReglabApp, pilot: Any, keys: list[str]) -> None:
    """Send ``keys`` back to back, as a fast typist or a paste does, then wait until the
    screen has handled them. (``Pilot.press`` also waits for the CPU to go idle after each
    key, which a running fit never lets happen: 80 ms a key.)"""
    for key in keys:
        app._driver.send_message(key_event(key))
    await pilot._wait_for_screen()


def key_event(key: str) -> events.Key:
    """The event ``Pilot.press`` would send for ``key`` (its own recipe)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


class _InternalErrors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        detail = "".join(traceback.format_exception(error)) if error else ""
        self.found.append(f"{record.getMessage()}\n{detail}")


async def fuzz_lab(
    lab: str, seed: int, keys: int, export_dir: Path, minimize: bool = False
) -> Report:
    """``keys`` keys in sessions on ``lab``: after a crash a fresh app takes the rest."""
    report = Report(lab, seed)
    bursts = draw_bursts(random.Random(f"{seed}:{lab}"), keys)
    started = time.perf_counter()
    while bursts:
        played, crash = await play(lab, bursts, export_dir, report)
        report.keys_sent += sum(map(len, bursts[:played]))
        if crash:
            session = bursts[:played]
            if minimize:
                session = await shrink(lab, session, crash, export_dir)
            report.crashes.append(Crash(lab, session, crash))
        bursts = bursts[played:]
    report.seconds = time.perf_counter() - started
    return report
