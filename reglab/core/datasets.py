"""Datasets: each lab's synthetic reference data, bundled scikit-learn sets and CSV files.

Nothing is downloaded: the scikit-learn sets used here ship inside the package.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from reglab.core.catalog import CLASSIFICATION_SETS, CSV, REGRESSION_SETS, SYNTHETIC_REGRESSION
from reglab.core.errors import DataError, ParamError
from reglab.core.notes import cache_with_warnings

MIN_ROWS = 10
Task = Literal["regression", "classification"]


@dataclass(frozen=True)
class Dataset:
    """Features, target and names; ``true_coef`` is known only for synthetic data."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    name: str
    true_coef: np.ndarray | None = None
    notes: tuple[str, ...] = ()  # what a lab should tell the user about this data


def penalties_reference(seed: int = 42) -> Dataset:
    """The penalties lab's reference: ``make_regression(100, 20, n_informative=5, noise=10)``."""
    from sklearn.datasets import make_regression

    X, y, coef = make_regression(
        n_samples=100, n_features=20, n_informative=5, noise=10, random_state=seed, coef=True
    )
    names = tuple(f"x{i}" for i in range(X.shape[1]))
    return Dataset(X, y, names, "synthetic", true_coef=coef)


def correlated(seed: int = 42, n_samples: int = 500) -> Dataset:
    """Two strongly correlated features plus an independent one (the lasso-vs-ridge demo)."""
    rng = np.random.RandomState(seed)
    med_count = rng.normal(0, 1, n_samples)
    polypharmacy = 0.8 * med_count + rng.normal(0, 1, n_samples)
    age = rng.normal(0, 1, n_samples)
    y = 0.5 * med_count + 0.5 * polypharmacy + 0.3 * age + rng.normal(0, 0.5, n_samples)
    X = np.column_stack([med_count, polypharmacy, age])
    return Dataset(
        X,
        y,
        ("med_count", "polypharmacy", "age"),
        "correlated",
        true_coef=np.array([0.5, 0.5, 0.3]),
    )


def bundled(name: str) -> Dataset:
    """One of scikit-learn's bundled data sets (regression or classification)."""
    from sklearn import datasets

    loaders = {
        "diabetes": datasets.load_diabetes,
        "breast_cancer": datasets.load_breast_cancer,
        "wine": datasets.load_wine,
        "iris": datasets.load_iris,
        "digits": datasets.load_digits,
    }
    if name not in loaders:
        raise DataError(f"unknown dataset {name!r}; choose from {', '.join(loaders)}")
    bunch = loaders[name]()
    names = tuple(str(n) for n in getattr(bunch, "feature_names", range(bunch.data.shape[1])))
    return Dataset(np.asarray(bunch.data, dtype=float), np.asarray(bunch.target), names, name)


def csv_stamp(dataset: str, path: str) -> float | None:
    """The CSV's modification time for cache keys (None for built-in data), so a cached
    dataset is read again once its file is edited."""
    csv = Path(path)
    return csv.stat().st_mtime if dataset == CSV and csv.is_file() else None


class DataParams(Protocol):
    """What ``data_key`` reads from a lab's params."""

    @property
    def dataset(self) -> str: ...
    @property
    def data(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def drop(self) -> str: ...
    @property
    def encode(self) -> str: ...
    @property
    def seed(self) -> int: ...


@dataclass(frozen=True)
class DataKey:
    """Everything that decides which rows a lab gets: hashable, so it keys every cache built
    on the data (loads, folds, CV tables). A CSV's modification time is part of it."""

    task: Task
    dataset: str
    data: str = ""
    target: str = ""
    seed: int = 0  # only generated data depends on it
    stamp: float | None = None
    drop: tuple[str, ...] = ()
    encode: str = "none"


def data_key(params: DataParams, task: Task) -> DataKey:
    csv = params.dataset == CSV
    return DataKey(
        task,
        params.dataset,
        params.data if csv else "",
        params.target if csv else "",
        params.seed if params.dataset in SYNTHETIC_REGRESSION else 0,
        csv_stamp(params.dataset, params.data),
        column_list(params.drop) if csv else (),
        params.encode if csv else "none",
    )


def column_list(text: str) -> tuple[str, ...]:
    """``"id, name"`` -> ``("id", "name")``: the columns a ``drop=`` setting names."""
    return tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))


@cache_with_warnings(maxsize=16)
def load(key: DataKey) -> Dataset:
    """The data set ``key`` names, cached: every lab loads its data through here."""
    if key.dataset == CSV:
        return load_csv(key.data, key.target, key.task, key.drop, key.encode)
    if key.task == "regression":
        return regression_data(key.dataset, key.seed)
    return classification_data(key.dataset)


def check_folds(data: Dataset, folds: int) -> None:
    """K-fold CV needs at least one row per fold: say so before fitting."""
    rows = len(data.y)
    if folds > rows:
        raise ParamError("folds", f"{folds} folds need at least {folds} rows; the data has {rows}")


def check_classes(y: np.ndarray, needed: int, name: str, where: str = "") -> None:
    """Every class needs ``needed`` rows for stratified folds or splits; name the one that
    falls short and the parameter that asks for them."""
    labels, counts = np.unique(y, return_counts=True)
    if len(labels) < 2:
        raise DataError(f"target: a single class{where}; classification needs two or more")
    smallest = int(np.argmin(counts))
    if counts[smallest] < needed:
        label = labels.tolist()[smallest]
        raise DataError(
            f"{name}: class {label!r} has only {counts[smallest]} row(s){where}; "
            f"at least {needed} are needed"
        )


def read_header(file: Path) -> tuple[str, list[str]]:
    """The separator (``,``, ``;`` or tab, whichever the first lines use; ``,`` if unclear)
    and the column names as written (pandas renames a repeated one: y -> y.1)."""
    with file.open(encoding="utf-8", errors="replace", newline="") as handle:
        sample = handle.read(64 * 1024)
    try:
        sep = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    return sep, next(csv.reader(sample.splitlines(), delimiter=sep), [])


# Past this a value's square overflows float64, and every fit with it fails.
MAX_ABS_VALUE = 1e150


# A text column with more distinct values than this is an id or free text, not a category.
MAX_CATEGORIES = 50


def load_csv(
    path: str,
    target: str,
    task: str,
    drop: tuple[str, ...] = (),
    encode: str = "none",
    need_features: bool = True,
) -> Dataset:
    """Read the feature columns and a target column with pandas; ``task`` is regression or
    classification. ``drop`` names columns to leave out; ``encode="onehot"`` turns text
    columns into 0/1 columns (``pandas.get_dummies``), which are refused otherwise. A lab that
    builds features of its own from the target (lags) passes ``need_features=False``. Every
    problem becomes a ``DataError`` with a message a user can act on."""
    try:
        file = Path(path).expanduser()
    except RuntimeError:  # ~name of no such user
        raise DataError(f"data: no such file: {path}") from None
    if file.is_dir():
        raise DataError(f"data: {path} is a folder; give the path of a CSV file")
    if not file.is_file():
        raise DataError(f"data: no such file: {path}")
    sep, names = read_header(file)
    # Numbers only (the usual large file) are read in chunks; anything else, and every file
    # with a problem to report, is read whole below.
    numbers = _read_numbers(file, sep, names, target, drop)
    if numbers is None:
        X, columns, target_column = _read_frame(
            file, path, sep, names, target, drop, encode, need_features
        )
    else:
        X, columns, target_column = numbers
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise DataError(
            f"data: {int(bad.sum())} missing or infinite value(s) in {path}, first in column "
            f"{columns[col]!r} row {row + 2}"
        )
    huge = (X > MAX_ABS_VALUE) | (X < -MAX_ABS_VALUE)  # masks only: no copy of X
    if huge.any():
        row, col = np.argwhere(huge)[0]
        raise DataError(
            f"data: values beyond ±{MAX_ABS_VALUE:g} in {path} (first in column "
            f"{columns[col]!r} row {row + 2}): their squares overflow; rescale them"
        )
    y = _csv_target(target_column, path, target, task)
    notes: tuple[str, ...] = ()
    if task == "regression" and set(np.unique(y)) <= {0.0, 1.0}:
        notes = (
            f"target {target!r} holds only 0 and 1: if it is a class label, the "
            "classification lab fits it as one",
        )
    return Dataset(X, y, tuple(str(c) for c in columns), f"csv:{file.name}", notes=notes)


def _read_frame(
    file: Path,
    path: str,
    sep: str,
    names: list[str],
    target: str,
    drop: tuple[str, ...],
    encode: str,
    need_features: bool,
):
    """The whole file as one frame, checked: the features as floats, their column labels
    and the target column."""
    import pandas as pd

    try:
        frame = pd.read_csv(file, sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        reason = " ".join(str(error).split())  # pandas' message can span lines
        raise DataError(f"data: cannot read {path} as CSV ({reason})") from None
    if _has_index_column(frame):
        # An index written by pandas' to_csv (no header name): not a feature.
        frame = frame.drop(columns=frame.columns[0])
        names = names[1:]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        # The second copy would become a feature (a copy of the target, even).
        raise DataError(f"data: repeated column name(s) in {path}: {', '.join(repeated)}")
    if target not in frame.columns:
        columns = ", ".join(map(str, frame.columns))
        raise DataError(f"target: no column {target!r} in {path}; columns are: {columns}")
    if len(frame) < MIN_ROWS:
        raise DataError(f"data: {path} has {len(frame)} rows; at least {MIN_ROWS} are needed")
    features = _feature_columns(frame, path, target, drop, encode, need_features)
    return features.to_numpy(dtype=float), list(features.columns), frame[target]


def _has_index_column(frame) -> bool:
    return bool(len(frame.columns)) and str(frame.columns[0]).startswith("Unnamed: 0")


# Values per chunk of the chunked read (8 MB of floats): memory beside the result stays small.
CHUNK_VALUES = 1 << 20


def _read_numbers(
    file: Path,
    sep: str,
    names: list[str],
    target: str,
    drop: tuple[str, ...],
):
    """A file whose kept columns hold only numbers, read chunk by chunk: the features as one
    Fortran-ordered float array (the layout the whole frame's ``to_numpy`` gives), their
    column labels and the target column. ``None`` for any other file, and for any file
    with a problem to report: ``_read_frame`` then reads it whole and says what is wrong.

    Why: pandas holds the whole frame's values several times over while it builds it
    (1e6 rows x 21 columns: a peak of 4.5x the data's size, 715 MiB); here the chunks,
    then the array, hold them about once (308 MiB). Each value is parsed as the whole read
    parses it, and a column's chunks are converted to float one by one, which is what
    converting the whole read's column (ints and floats together: float) gives.
    """
    import pandas as pd

    if len(set(names)) < len(names):
        return None
    chunks: list[np.ndarray] = []
    targets = []
    columns: list[str] = []
    try:
        rows = max(1, CHUNK_VALUES // max(len(names), 1))
        with pd.read_csv(file, sep=sep, chunksize=rows) as reader:
            for chunk in reader:
                if _has_index_column(chunk):
                    chunk = chunk.drop(columns=chunk.columns[0])
                if not columns:
                    columns = _feature_names(chunk, target, drop)
                    if not columns:
                        return None
                if any(chunk[name].dtype.kind not in "iuf" for name in (*columns, target)):
                    return None
                chunks.append(chunk[columns].to_numpy(dtype=float))
                targets.append(chunk[target].copy())  # a view would keep the chunk alive
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError):
        return None
    rows_read = sum(len(part) for part in chunks)
    if rows_read < MIN_ROWS:
        return None
    X = np.empty((rows_read, len(columns)), order="F")
    start = 0
    chunks.reverse()
    while chunks:  # each chunk is freed once copied: the array's pages replace its memory
        part = chunks.pop()
        X[start : start + len(part)] = part
        start += len(part)
    return X, columns, pd.concat(targets, ignore_index=True)


def _feature_names(chunk, target: str, drop: tuple[str, ...]) -> list:
    """Every column but the target and the dropped ones, as ``_feature_columns`` keeps
    them; empty when the names are wrong (``_feature_columns`` then says how)."""
    columns = list(chunk.columns)
    if target not in columns or target in drop or any(name not in columns for name in drop):
        return []
    return [name for name in columns if name != target and name not in drop]


def _feature_columns(
    frame, path: str, target: str, drop: tuple[str, ...], encode: str, need_features: bool
):
    """Every column but the target and the dropped ones, text columns one-hot encoded when
    ``encode="onehot"`` (each value its own 0/1 column, named ``column=value``)."""
    import pandas as pd

    unknown = [name for name in drop if name not in frame.columns]
    if unknown:
        columns = ", ".join(map(str, frame.columns))
        raise DataError(f"drop: no column {unknown[0]!r} in {path}; columns are: {columns}")
    if target in drop:
        raise DataError(f"drop: {target!r} is the target; it cannot be dropped as well")
    features = frame.drop(columns=[target, *drop])
    if features.shape[1] == 0 and need_features:
        raise DataError(f"data: {path} has no feature columns besides {target!r}")
    text = [str(c) for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    if not text:
        return features
    if encode != "onehot":
        names = ",".join(text)
        raise DataError(
            f"data: text feature column(s) in {path}: {', '.join(text)}; "
            f"encode them (encode=onehot) or leave them out (drop={names})"
        )
    for name in text:
        column = features[name]
        if column.isna().any():
            raise DataError(f"data: text column {name!r} in {path} has missing values")
        if column.nunique() > MAX_CATEGORIES:
            raise DataError(
                f"data: text column {name!r} in {path} has {column.nunique()} distinct values "
                f"(more than {MAX_CATEGORIES}: an id or free text?); leave it out (drop={name})"
            )
    return pd.get_dummies(features, columns=text, prefix_sep="=", dtype=float)


def _csv_target(column, path: str, target: str, task: str) -> np.ndarray:
    import pandas as pd

    if column.isna().any():
        raise DataError(f"target: column {target!r} in {path} has missing values")
    if task == "regression":
        if not pd.api.types.is_numeric_dtype(column):
            raise DataError(f"target: column {target!r} in {path} must be numeric for regression")
        y = column.to_numpy(dtype=float)
        if not np.isfinite(y).all():
            raise DataError(f"target: column {target!r} in {path} has infinite values")
        if np.ptp(y) == 0:
            raise DataError(f"target: column {target!r} in {path} is constant; nothing to learn")
        return y
    if not pd.api.types.is_numeric_dtype(column):
        example = column.iloc[0]
        raise DataError(
            f"target: column {target!r} in {path} is not numeric (e.g. {example!r}); "
            "encode the classes as integers 0, 1, ..."
        )
    classes = column.nunique()
    if classes < 2:
        raise DataError(f"target: column {target!r} in {path} has a single class; need two or more")
    non_integer = pd.api.types.is_float_dtype(column) and not np.all(
        np.mod(column.to_numpy(), 1) == 0
    )
    if non_integer or classes > len(column) / 5:
        what = "holds non-integer numbers" if non_integer else f"has {classes} distinct values"
        raise DataError(
            f"target: column {target!r} in {path} {what}: it looks continuous, and "
            "classification needs class labels; use the penalties or lambda lab for it"
        )
    return column.to_numpy()


def regression_data(dataset: str, seed: int) -> Dataset:
    """Built-in data for the regression labs (penalties, lambda, bias-variance)."""
    if dataset == "synthetic":
        return penalties_reference(seed)
    if dataset == "correlated":
        return correlated(seed)
    if dataset in REGRESSION_SETS:
        return bundled(dataset)
    raise DataError(f"dataset: {dataset!r} is not a regression data set")


def classification_data(dataset: str) -> Dataset:
    """Built-in data for the classification labs (classification, trees, logistic lambda)."""
    if dataset in CLASSIFICATION_SETS:
        return bundled(dataset)
    raise DataError(f"dataset: {dataset!r} is not a classification data set")
