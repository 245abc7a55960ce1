"""Files reglab writes: atomic, never over an existing file without a new name or --force,
and in the stated folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reglab.core.export import export_result
from reglab.core.files import write_atomic, write_text_atomic


def test_a_taken_name_gets_the_next_free_suffix_and_the_old_file_is_kept(tmp_path):
    target = tmp_path / "result.json"
    assert write_text_atomic(target, "first") == target
    target.write_text("edited by the user")
    assert write_text_atomic(target, "second") == tmp_path / "result-1.json"
    assert write_text_atomic(target, "third") == tmp_path / "result-2.json"
    assert target.read_text() == "edited by the user"
    assert (tmp_path / "result-2.json").read_text() == "third"


def test_force_replaces_the_file(tmp_path):
    target = tmp_path / "shot.svg"
    write_text_atomic(target, "old")
    assert write_text_atomic(target, "new", force=True) == target
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shot.svg"]


def test_a_failed_write_leaves_neither_a_file_nor_a_temp_file(tmp_path):
    def half_then_fail(temp: Path) -> None:
        temp.write_text("half of it")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(tmp_path / "out.json", half_then_fail)
    assert list(tmp_path.iterdir()) == []


def test_the_reader_never_sees_a_partial_file(tmp_path):
    # The content appears under its name only once complete: while the writer runs, the
    # target does not exist yet.
    target = tmp_path / "out.txt"

    def write(temp: Path) -> None:
        temp.write_text("complete")
        assert not target.exists()

    write_atomic(target, write)
    assert target.read_text() == "complete"


def test_the_folder_is_created(tmp_path):
    target = tmp_path / "new" / "folder" / "x.txt"
    assert write_text_atomic(target, "x") == target


def test_two_exports_in_the_same_second_never_overwrite(tmp_path, monkeypatch):
    monkeypatch.setattr("reglab.core.export.timestamp", lambda: "20261202-120000")
    payload = {"lab": "square", "params": {}, "rows": [{"x": 1, "y": 2}], "notes": []}
    first = export_result(payload, tmp_path)
    first[0].write_text("edited")
    second = export_result(payload, tmp_path)
    assert [p.name for p in first] == [
        "reglab-square-20261202-120000.json",
        "reglab-square-20261202-120000-rows.csv",
    ]
    assert [p.name for p in second] == [
        "reglab-square-20261202-120000-1.json",
        "reglab-square-20261202-120000-1-rows.csv",
    ]
    assert first[0].read_text() == "edited"
    assert json.loads(second[0].read_text()) == payload
    assert second[1].read_text().splitlines() == ["x,y", "1,2"]


def test_no_temp_files_are_left_behind(tmp_path):
    for _ in range(3):
        write_text_atomic(tmp_path / "a.txt", "x")
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".")]
