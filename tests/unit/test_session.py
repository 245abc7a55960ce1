"""Recorded sessions (reglab.session): the recorder's lines, reading them back with one-line
errors, pacing, and the headless replay's key numbers against ``reglab run``."""

from __future__ import annotations

import io
import json

import pytest

from reglab import session
from reglab.core.errors import ReglabError
from reglab.core.registry import LABS
from reglab.core.spec import with_values


def params(lab: str, **values):
    return with_values(LABS[lab].params(), values)


def record(path, events) -> None:
    now = [0.0]
    recorder = session.Recorder(path, "overfitting", clock=lambda: now[0])
    for t, kind, payload in events:
        now[0] = t
        if kind == "params":
            recorder.params(payload)
        else:
            recorder.write(kind, **payload)
    recorder.close()


def test_a_recording_reads_back_step_by_step(tmp_path):
    path = tmp_path / "s.jsonl"
    record(
        path,
        [
            (0.5, "tab", {"lab": "penalties"}),
            (1.25, "params", params("penalties", alpha=0.1, model="ridge")),
            (2.0, "action", {"lab": "penalties", "action": "export"}),
        ],
    )
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0] == {"t": 0.0, "event": "start", "version": 1, "lab": "overfitting"}
    assert lines[2] == {
        "t": 1.25,
        "event": "params",
        "lab": "penalties",
        "values": {"model": "ridge", "alpha": 0.1},
    }
    steps = session.read_session(path)
    assert [s.event for s in steps] == ["start", "tab", "params", "action"]
    assert steps[2].params == params("penalties", alpha=0.1, model="ridge")
    assert steps[3].detail == {"action": "export"}
    assert [round(w, 3) for w, _ in session.paced(steps, speed=2)] == [0, 0.25, 0.375, 0.375]


def test_recording_never_overwrites_a_file(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text("mine")
    with pytest.raises(ReglabError, match="exists"):
        session.Recorder(path, "overfitting")
    assert path.read_text() == "mine"


START = '{"t": 0, "event": "start", "version": 1, "lab": "trees"}'


@pytest.mark.parametrize(
    ("lines", "fragment"),
    [
        ([], "no start line"),
        (['{"t": 0, "event": "start", "version": 9, "lab": "trees"}'], "version 9"),
        (["{oops"], ":1: not a session event"),
        ([START, '{"t": 1, "event": "dance"}'], ":2: unknown event"),
        ([START, '{"t": 1, "event": "tab", "lab": "nope"}'], ":2: unknown lab"),
        (
            [START, '{"t": 1, "event": "params", "lab": "penalties", "values": {"alpha": -2}}'],
            "alpha",
        ),
    ],
)
def test_a_file_that_is_not_a_session_is_one_line_naming_where(tmp_path, lines, fragment):
    path = tmp_path / "s.jsonl"
    path.write_text("".join(line + "\n" for line in lines))
    with pytest.raises(ReglabError, match=fragment) as error:
        session.read_session(path)
    assert "\n" not in str(error.value)


def test_headless_replay_prints_each_step_and_ends_on_runs_numbers(tmp_path, cli_json):
    path = tmp_path / "s.jsonl"
    record(
        path,
        [
            (1.0, "params", params("overfitting", degree=3)),
            (2.0, "params", params("penalties", model="ridge")),
            (3.0, "params", params("penalties", model="ridge", alpha=0.05)),
        ],
    )
    out = io.StringIO()
    last = session.replay_headless(session.read_session(path), out, as_json=True)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["values"] for line in lines] == [
        {"degree": 3},
        {"model": "ridge"},
        {"model": "ridge", "alpha": 0.05},
    ]
    final = cli_json("penalties", "model=ridge", "alpha=0.05")
    assert last == lines[-1]["key_numbers"] == LABS["penalties"].key_values(final)
