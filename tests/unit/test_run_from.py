"""``reglab run --from FILE``: an exported result, run again, gives the same numbers — for
every lab — and a changed parameter on top; a file that is not a result is one line, exit 2."""

from __future__ import annotations

import json

import pytest

from reglab.cli import main
from reglab.core.export import export_result
from tests.unit.test_lab_contract import LAB_NAMES, default_json


def run(capsys, *argv: str) -> tuple[int, dict | str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if code == 0 and "--json" in argv else captured.err


def without_notes(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != "notes"}


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_an_exported_result_runs_again_to_the_same_numbers(lab, tmp_path, capsys):
    exported = export_result(default_json(lab), tmp_path)[0]
    code, again = run(capsys, "run", "--from", str(exported), "--json")
    assert code == 0
    assert without_notes(again) == without_notes(default_json(lab))


def test_set_changes_a_parameter_of_the_saved_run(tmp_path, capsys):
    code, first = run(capsys, "run", "penalties", "--set", "model=ridge", "--json")
    saved = tmp_path / "first.json"
    saved.write_text(json.dumps(first))
    code, second = run(capsys, "run", "--from", str(saved), "--set", "alpha=0.01", "--json")
    assert code == 0
    assert second["params"] == {**first["params"], "alpha": 0.01}  # model=ridge kept
    assert second["coef"] != first["coef"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read it"),
        ("{oops", "not a JSON result"),
        ('{"lab": "penalties"}', "not a reglab result"),
        ('{"lab": "nope", "params": {}}', "unknown lab 'nope'"),
        ('{"lab": "penalties", "params": {"alpha": -1}}', "alpha"),
    ],
)
def test_a_file_that_is_not_a_usable_result_is_one_line(tmp_path, capsys, content, fragment):
    path = tmp_path / "result.json"
    if content is not None:
        path.write_text(content)
    code, error = run(capsys, "run", "--from", str(path), "--json")
    assert code == 2
    assert fragment in error and error.count("\n") == 1


def test_run_needs_a_lab_or_a_file(capsys):
    code, error = run(capsys, "run")
    assert code == 2 and "--from FILE" in error


def test_pin_re_runs_a_pinned_run_of_an_export(tmp_path, capsys):
    _, ridge = run(capsys, "run", "penalties", "--set", "model=ridge", "--json")
    _, lasso = run(capsys, "run", "penalties", "--json")
    exported = export_result({**ridge, "pins": [{"pin": "pin 1: model=lasso", **lasso}]}, tmp_path)
    code, again = run(capsys, "run", "--from", str(exported[0]), "--pin", "1", "--json")
    assert code == 0 and without_notes(again) == without_notes(lasso)
    assert any(p.name.endswith("-pin1-coef.csv") for p in exported)  # its tables too
    code, error = run(capsys, "run", "--from", str(exported[0]), "--pin", "2", "--json")
    assert code == 2 and "has 1 pinned run" in error
