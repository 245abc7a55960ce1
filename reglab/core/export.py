"""Export a result: its JSON, and every table in it as a CSV of its own (``tables``), all
written atomically under one free name (``-1``, ``-2``, ... when any of them is taken)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from reglab.core.files import free_stem, write_text_atomic
from reglab.core.tables import tables, to_csv


def timestamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def csv_suffix(table_name: str) -> str:
    """``geometry.path`` -> ``-geometry-path.csv``: the file's name after the shared stem."""
    return "-" + table_name.replace(".", "-") + ".csv"


def export_result(payload: dict, folder: Path) -> list[Path]:
    """Write ``payload`` as ``reglab-LAB-TIME.json`` and each of its tables as
    ``reglab-LAB-TIME-TABLE.csv`` in ``folder``; returns the paths, the JSON first."""
    found = tables(payload)
    suffixes = [".json", *(csv_suffix(name) for name in found)]
    stem = free_stem(folder / f"reglab-{payload['lab']}-{timestamp()}", suffixes)
    json_text = json.dumps(payload, indent=2, allow_nan=False)
    written = [write_text_atomic(stem.with_name(stem.name + ".json"), json_text)]
    for name, table in found.items():
        path = stem.with_name(stem.name + csv_suffix(name))
        written.append(write_text_atomic(path, to_csv(table)))
    return written
