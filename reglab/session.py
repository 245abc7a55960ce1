"""Recorded sessions: ``reglab --record session.jsonl`` and ``reglab replay session.jsonl``.

A session is JSON lines, one event each, with ``t`` the seconds since the start:

- ``{"t": 0, "event": "start", "version": 1, "lab": "overfitting"}`` (always first);
- ``{"t": 1.5, "event": "params", "lab": "penalties", "values": {"alpha": 0.1}}``: a lab's
  parameters after a change, as the values that differ from its defaults (so each step
  stands alone, and a replay sets exactly them);
- ``{"t": 2.0, "event": "tab", "lab": "penalties"}``, ``{"t": 3, "event": "theme", "theme":
  "nord"}`` and ``{"t": 4, "event": "action", "lab": "penalties", "action": "export"}``.

The recording is the shareable state of a session: what a teacher hands a class. A replay
plays it back in the app at the recorded pace (or ``--speed N`` times it), or with
``--headless`` runs each ``params`` step and prints its key numbers, without Textual.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reglab.core.errors import ReglabError
from reglab.core.registry import LABS
from reglab.core.spec import LabParams, changed_values, params_from_json

VERSION = 1
EVENTS = ("start", "params", "tab", "theme", "action")


class Recorder:
    """Appends a session's events to a new file, a line each, flushed as they happen (a
    session that ends in a crash keeps what came before). Never over an existing file."""

    def __init__(self, path: Path, lab: str, clock: Callable[[], float] = time.monotonic):
        try:
            self._file: IO[str] = open(path, "x", encoding="utf-8")  # noqa: SIM115 - kept open
        except FileExistsError:
            raise ReglabError(f"--record {path}: the file exists; give a new name") from None
        except OSError as error:
            raise ReglabError(f"--record {path}: cannot write it ({error.strerror})") from None
        self.path, self._clock = path, clock
        self._started = clock()
        self.write("start", version=VERSION, lab=lab)

    def write(self, event: str, **fields: Any) -> None:
        if self._file.closed:
            return
        t = round(self._clock() - self._started, 3)
        self._file.write(json.dumps({"t": t, "event": event, **fields}) + "\n")
        self._file.flush()

    def params(self, params: LabParams) -> None:
        self.write("params", lab=params.lab, values=changed_values(params))

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class Step:
    t: float
    event: str
    lab: str | None = None
    params: LabParams | None = None  # a params step's whole parameters
    detail: dict[str, Any] = field(default_factory=dict)  # theme / action fields


def read_session(path: Path) -> list[Step]:
    """A recorded session's steps; a file that is not one is a ReglabError naming the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ReglabError(f"{path}: cannot read the session ({error})") from None
    steps = [_step(path, number, line) for number, line in enumerate(lines, 1) if line.strip()]
    if not steps or steps[0].event != "start":
        raise ReglabError(f"{path}: not a reglab session (no start line)")
    return steps


def _step(path: Path, number: int, line: str) -> Step:
    where = f"{path}:{number}"
    try:
        event = json.loads(line)
        kind, t = event["event"], float(event["t"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError):
        raise ReglabError(f"{where}: not a session event") from None
    if kind not in EVENTS:
        raise ReglabError(f"{where}: unknown event {kind!r}")
    if kind == "start" and event.get("version") != VERSION:
        raise ReglabError(f"{where}: a version {event.get('version')} session; this is {VERSION}")
    lab = event.get("lab")
    if lab is not None and lab not in LABS:
        raise ReglabError(f"{where}: unknown lab {lab!r}")
    params = None
    if kind == "params":
        try:
            params = params_from_json(LABS[lab].params(), dict(event.get("values", {})))
        except (ReglabError, TypeError, ValueError, KeyError) as error:
            raise ReglabError(f"{where}: {error}") from None
    detail = {k: v for k, v in event.items() if k not in ("t", "event", "lab", "values")}
    return Step(t, kind, lab, params, detail)


@dataclass(frozen=True)
class Replay:
    """A session to play back in the app, ``speed`` times as fast as it was recorded."""

    steps: list[Step]
    speed: float = 1.0


def paced(steps: list[Step], speed: float) -> Iterator[tuple[float, Step]]:
    """Each step with the seconds to wait before it: the recorded gaps over ``speed``."""
    previous = 0.0
    for step in steps:
        yield max(0.0, step.t - previous) / speed, step
        previous = step.t


def replay_headless(steps: list[Step], out: IO[str], as_json: bool = False) -> dict[str, Any]:
    """Run every ``params`` step and print its key numbers, a line each; returns the last
    step's key numbers ({} if none)."""
    from reglab.core.spec import format_value

    last: dict[str, Any] = {}
    for step in steps:
        if step.event != "params" or step.params is None:
            continue
        lab = LABS[step.params.lab]
        last = lab.key_values(lab.run(step.params).to_json())
        values = changed_values(step.params)
        if as_json:
            line = {"t": step.t, "lab": lab.name, "values": values, "key_numbers": last}
            out.write(json.dumps(line, allow_nan=False) + "\n")
        else:
            given = " ".join(f"{k}={format_value(v)}" for k, v in values.items()) or "defaults"
            numbers = " ".join(f"{k}={format_value(v)}" for k, v in last.items())
            out.write(f"{step.t:8.2f}s  {lab.name}  {given}  ->  {numbers}\n")
        out.flush()
    return last
