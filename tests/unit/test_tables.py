"""The CSV export's tables (reglab.core.tables): each rule on a small payload, and every
lab's default result exported whole — every number of its JSON is a cell of some CSV."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from reglab.core.export import export_result
from reglab.core.tables import LEFT_OUT, tables, to_csv
from tests.unit.test_lab_contract import LAB_NAMES, default_json


def test_each_rule_on_a_small_payload():
    payload = {
        "lab": "demo",
        "params": {"alpha": 1.0},
        "notes": ["left out"],
        "score": 0.5,
        "alphas": [1.0, 0.1, 0.01],
        "mean": [3.0, 2.0, 2.5],
        "folds": [[1, 2, 3], [4, 5, 6]],  # rows as long as alphas: one column per fold
        "names": ["a", "b"],  # another length: a table of its own
        "windows": [[0, 9, 10, 19], [5, 14, 15, 24]],  # no partner: one row per row
        "picked": [["a"], ["a", "b"]],  # uneven word lists: one cell each
        "by_k": [{"k": 1, "fit": {"train": 0.1}}, {"k": 2, "fit": {"train": 0.2}}],
        "curves": [{"name": "x", "at": [1, 2], "y": [5, 6]}],  # unrolled, one row per element
        "nested": {"best": 3, "grid": [1, 2]},
    }
    found = tables(payload)
    assert found["scalars"] == [{"key": "score", "value": 0.5}, {"key": "nested.best", "value": 3}]
    assert found["alphas"][0] == {"alphas": 1.0, "mean": 3.0, "folds_0": 1, "folds_1": 4}
    assert found["names"] == [{"names": "a", "picked": "a"}, {"names": "b", "picked": "a b"}]
    assert found["windows"][1] == {
        "windows_0": 5,
        "windows_1": 14,
        "windows_2": 15,
        "windows_3": 24,
    }
    assert found["by_k"] == [{"k": 1, "fit.train": 0.1}, {"k": 2, "fit.train": 0.2}]
    assert found["curves"] == [{"name": "x", "at": 1, "y": 5}, {"name": "x", "at": 2, "y": 6}]
    assert found["nested"] == [{"grid": 1}, {"grid": 2}]
    assert to_csv(found["by_k"]).splitlines() == ["k,fit.train", "1,0.1", "2,0.2"]


def test_a_value_without_a_rule_is_an_error_not_a_silent_gap():
    with pytest.raises(ValueError, match="odd"):
        tables({"lab": "demo", "odd": [[{"a": 1}]]})


def test_lambda_writes_its_cv_curve_with_every_fold():
    payload = default_json("lambda")
    curve = tables(payload)["alphas"]
    assert len(curve) == len(payload["alphas"])
    folds = len(payload["fold_scores"])
    row = curve[payload["index_min"]]
    assert row["alphas"] == payload["alpha_min"] and row["cv_mean"] == payload["score_min"]
    assert [row[f"fold_scores_{f}"] for f in range(folds)] == [
        fold[payload["index_min"]] for fold in payload["fold_scores"]
    ]


def numbers(value) -> Counter:
    """Every number in a JSON value (booleans are not numbers here)."""
    if isinstance(value, dict):
        return sum((numbers(v) for v in value.values()), Counter())
    if isinstance(value, list):
        return sum((numbers(v) for v in value), Counter())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Counter([float(value)])
    return Counter()


def csv_numbers(path: Path) -> Counter:
    found: Counter = Counter()
    with path.open(newline="") as file:
        for row in csv.DictReader(file):
            for cell in row.values():
                try:
                    found[float(cell)] += 1
                except ValueError:
                    continue
    return found


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_export_writes_every_number_of_the_result(lab, tmp_path):
    payload = default_json(lab)
    written = export_result(payload, tmp_path)
    assert written[0].suffix == ".json" and all(p.suffix == ".csv" for p in written[1:])
    assert len(written) == 1 + len(tables(payload))
    cells = sum((csv_numbers(path) for path in written[1:]), Counter())
    wanted = numbers({k: v for k, v in payload.items() if k not in LEFT_OUT})
    assert not wanted - cells, f"numbers of the JSON in no CSV: {list(wanted - cells)[:5]}"


def test_a_second_export_never_overwrites_the_first(tmp_path, monkeypatch):
    monkeypatch.setattr("reglab.core.export.timestamp", lambda: "20261204-120000")
    payload = {"lab": "demo", "alphas": [1.0, 2.0], "score": 1.0}
    first, second = export_result(payload, tmp_path), export_result(payload, tmp_path)
    assert [p.name for p in first] == [
        "reglab-demo-20261204-120000.json",
        "reglab-demo-20261204-120000-scalars.csv",
        "reglab-demo-20261204-120000-alphas.csv",
    ]
    assert all(p.name.startswith("reglab-demo-20261204-120000-1") for p in second)
