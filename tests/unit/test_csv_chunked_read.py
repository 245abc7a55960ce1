"""A CSV of numbers is read chunk by chunk (reglab.core.datasets._read_numbers, for memory):
the same arrays, bit for bit, as pandas' whole read that every other file still gets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reglab.core import datasets
from reglab.core.datasets import load_csv
from reglab.core.errors import DataError

ROWS = 1000


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """About 100 rows a chunk, so every file here is read in several."""
    monkeypatch.setattr(datasets, "CHUNK_VALUES", 700)


def frame_with(seed: int = 0) -> pd.DataFrame:
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame({f"x{i}": rng.normal(0, 10 ** (i - 2), ROWS) for i in range(5)})
    frame["count"] = np.arange(ROWS) % 7  # an int column among the floats
    # Ints in the first chunks, floats after: each chunk infers its own dtype.
    frame["late_floats"] = np.where(np.arange(ROWS) < 600, np.arange(ROWS), np.arange(ROWS) + 0.5)
    frame["y"] = frame["x1"] * 3 + rng.normal(size=ROWS)
    frame["label"] = (frame["y"] > 0).astype(int)
    return frame


def whole_read(path, target: str, drop: tuple[str, ...] = ()):
    """The straightforward pandas calls the loader made for every file before chunking."""
    frame = pd.read_csv(path)
    if frame.columns[0].startswith("Unnamed: 0"):
        frame = frame.drop(columns=frame.columns[0])
    features = frame.drop(columns=[target, *drop])
    return features.to_numpy(dtype=float), frame[target].to_numpy(), list(features.columns)


def write(tmp_path, frame: pd.DataFrame, order: list[str], index: bool = False):
    path = tmp_path / "numbers.csv"
    frame[order].to_csv(path, index=index)
    return path


@pytest.mark.parametrize(
    ("order", "target", "drop", "index"),
    [
        (["x0", "x1", "x2", "x3", "x4", "count", "late_floats", "y"], "y", ("late_floats",), False),
        (["y", "x0", "x1", "x2", "x3", "x4", "count", "late_floats"], "y", (), False),
        (["x0", "x1", "y", "x2", "x3", "x4", "count", "late_floats"], "y", (), True),
        (["x0", "x1", "x2", "x3", "x4", "count", "y", "label"], "label", ("y",), False),
    ],
    ids=["target last", "target first", "target in the middle, index column", "class labels"],
)
def test_the_chunked_read_equals_pandas_whole_read(tmp_path, order, target, drop, index):
    path = write(tmp_path, frame_with(), order, index)
    task = "classification" if target == "label" else "regression"
    # The chunked path is taken (not the whole read it falls back to) ...
    assert datasets._read_numbers(path, ",", [], target, drop) is not None
    data = load_csv(str(path), target, task, drop=drop)
    X, y, names = whole_read(path, target, drop)
    # ... and gives the same bits, the same layout (Fortran, as to_numpy gives it), the same
    # target dtype (int labels stay ints) and the same names.
    assert data.X.tobytes(order="A") == np.asfortranarray(X).tobytes(order="A")
    assert data.X.flags.f_contiguous
    np.testing.assert_array_equal(data.y, y)
    assert data.y.dtype == (np.float64 if task == "regression" else y.dtype)
    assert data.feature_names == tuple(names)


def test_a_text_cell_in_a_later_chunk_gets_the_whole_reads_message(tmp_path):
    frame = frame_with().astype({"count": object})
    frame.loc[800, "count"] = "many"
    path = write(tmp_path, frame, ["x0", "count", "y"])
    assert datasets._read_numbers(path, ",", [], "y", ()) is None
    with pytest.raises(DataError, match=r"text feature column\(s\) .*: count; "):
        load_csv(str(path), "y", "regression")


def test_a_missing_value_in_a_later_chunk_names_its_row(tmp_path):
    frame = frame_with()
    frame.loc[850, "x2"] = np.nan
    path = write(tmp_path, frame, ["x0", "x2", "y"])
    with pytest.raises(DataError, match=r"1 missing or infinite value\(s\) .* 'x2' row 852"):
        load_csv(str(path), "y", "regression")
