"""The production lab's data: a seeded daily series with a regime change, or a CSV sorted by
its time column, and the lag / rolling / calendar features built from it with pandas.

The bundled series is ``trend + weekly + yearly seasonality + AR noise``. Its AR part leans
on one lag, ``a[t] = 0.8 a[t - L] + e[t]``: the regime change moves ``L`` from 1 to 7
(``change=lag``), doubles the noise (``change=noise``), or both. Rows are in time order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reglab.core.datasets import column_list, csv_stamp, load_csv, read_header
from reglab.core.errors import DataError
from reglab.core.notes import cache_with_warnings
from reglab.core.production.params import SERIES, ProductionParams

LAGS = tuple(range(1, 31))
ROLLING = (7, 14, 30)
AR_WEIGHT = 0.8
OLD_LAG, NEW_LAG = 1, 7
NOISE_FACTOR = 3.0  # the noise's standard deviation after a noise change
LEAK_NOISE = 0.1  # the look-ahead feature's noise, in target standard deviations
START = "2020-01-01"


@dataclass(frozen=True)
class SeriesData:
    """Features in time order. ``lookahead`` is the leak feature, added to ``X`` only with
    ``leak=true``; ``change_row`` is the first row of the new regime (for a CSV, where the
    drift check's recent part starts); ``moved`` names the features the change moves."""

    X: np.ndarray
    y: np.ndarray
    names: tuple[str, ...]
    lookahead: np.ndarray
    change_row: int
    name: str
    moved: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def bundled_target(n_steps: int, change: str, change_at: float, seed: int):
    """The bundled daily series as a pandas Series with a date index."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    t = np.arange(n_steps)
    change_step = int(n_steps * change_at)
    after = t >= change_step
    lag = np.where(after & (change in ("lag", "both")), NEW_LAG, OLD_LAG)
    sigma = np.where(after & (change in ("noise", "both")), NOISE_FACTOR, 1.0)
    noise = rng.standard_normal(n_steps) * sigma
    ar = np.zeros(n_steps)
    for step in range(n_steps):  # a recursion: each value leans on an earlier one
        back = lag[step]
        ar[step] = (AR_WEIGHT * ar[step - back] if step >= back else 0.0) + noise[step]
    season = np.sin(2 * np.pi * t / 7) + 2 * np.sin(2 * np.pi * t / 365.25)
    values = 0.1 * t / 365 + season + ar
    index = pd.date_range(START, periods=n_steps, freq="D")
    return pd.Series(values, index=index, name="y"), change_step


def lag_features(target):
    """Lags 1–30 and rolling means / standard deviations over 7, 14 and 30 steps, all of
    past values only (the rolling windows end one step back), plus day-of-week and month
    dummies when the index holds dates. The first 30 rows have no full history: NaN."""
    import pandas as pd

    past = target.shift(1)
    columns = {f"lag_{lag}": target.shift(lag) for lag in LAGS}
    for width in ROLLING:
        columns[f"roll_mean_{width}"] = past.rolling(width).mean()
        columns[f"roll_std_{width}"] = past.rolling(width).std()
    frame = pd.DataFrame(columns)
    if isinstance(target.index, pd.DatetimeIndex):
        for prefix, values in (("dow", target.index.day_of_week), ("month", target.index.month)):
            dummies = pd.get_dummies(values, prefix=prefix, drop_first=True, dtype=float)
            dummies.index = target.index
            frame = pd.concat([frame, dummies], axis=1)
    return frame


def moved_by(change: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The features whose distribution the regime change moves: more noise widens every
    lag and rolling feature; a new strongest lag changes how neighbouring days co-move, so
    rolling means and stds (sums of neighbours) move while single lags keep their spread."""
    if change in ("noise", "both"):
        return tuple(n for n in names if n.startswith(("lag_", "roll_")))
    if change == "lag":
        return tuple(n for n in names if n.startswith("roll_"))
    return ()


def lookahead_feature(y: np.ndarray, seed: int) -> np.ndarray:
    """A feature no model could have at prediction time: the target plus a little noise."""
    rng = np.random.default_rng([seed, 1])
    return y + LEAK_NOISE * float(np.std(y)) * rng.standard_normal(len(y))


def bundled(params: ProductionParams) -> SeriesData:
    target, change_step = bundled_target(
        params.n_steps, params.change, params.change_at, params.seed
    )
    frame = lag_features(target)
    frame = frame.iloc[:, : params.n_features]
    rng = np.random.default_rng([params.seed, 2])
    for number in range(1, params.n_features - frame.shape[1] + 1):
        frame[f"noise_{number}"] = rng.standard_normal(len(frame))
    first = max(LAGS)  # rows before it lack a full history
    X = frame.to_numpy(dtype=float)[first:]
    y = target.to_numpy()[first:]
    names = tuple(map(str, frame.columns))
    return SeriesData(
        X,
        y,
        names,
        lookahead_feature(y, params.seed),
        change_step - first,
        "series",
        moved_by(params.change, names),
    )


def from_csv(params: ProductionParams) -> SeriesData:
    """The CSV's rows sorted by ``time``; with ``engineer`` its target's lags and rolling
    statistics (and calendar dummies for a date column) join its own feature columns."""
    import pandas as pd

    file = Path(params.data).expanduser()
    drop = column_list(params.drop)
    if file.is_file():  # load_csv says what is wrong with a missing file
        header = read_header(file)[1]
        if params.time not in header:
            columns = ", ".join(header)
            raise DataError(
                f"time: no column {params.time!r} in {params.data}; columns are: {columns}"
            )
    loaded = load_csv(
        params.data,
        params.target,
        "regression",
        (*drop, params.time),
        params.encode,
        need_features=not params.engineer,  # lags of the target are features enough
    )
    sep, header = read_header(file)
    raw_time = pd.read_csv(file, sep=sep, usecols=[params.time])[params.time]
    order, index = time_order(raw_time, params.time)
    frame = pd.DataFrame(loaded.X[order], columns=list(loaded.feature_names), index=index)
    target = pd.Series(loaded.y[order], index=index)
    first = 0
    if params.engineer:
        frame = pd.concat([lag_features(target), frame], axis=1)
        first = max(LAGS)
    frame = frame.iloc[first:]
    frame = frame.loc[:, frame.nunique() > 1]  # calendar dummies a sparse calendar never sets
    if frame.shape[1] == 0:
        raise DataError("data: no feature column varies; add columns or engineer=true")
    y = target.to_numpy()[first:]
    return SeriesData(
        frame.to_numpy(dtype=float),
        y,
        tuple(map(str, frame.columns)),
        lookahead_feature(y, params.seed),
        int(len(y) * params.change_at),
        f"csv:{file.name}",
        notes=loaded.notes,
    )


def time_order(column, name: str):
    """The row order that sorts ``column`` (numbers, or else dates) and the index the sorted
    rows get: their dates (calendar features come from them) or plain positions."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(column):
        values, dates = column, False
    else:
        try:
            values, dates = pd.to_datetime(column, format="mixed"), True
        except (ValueError, TypeError):
            raise DataError(f"time: column {name!r} holds neither dates nor numbers") from None
    if values.isna().any():
        row = int(values.isna().to_numpy().argmax()) + 2
        raise DataError(f"time: column {name!r} has a missing value in row {row}")
    order = np.argsort(values.to_numpy(), kind="stable")
    index = pd.DatetimeIndex(values.iloc[order]) if dates else pd.RangeIndex(len(order))
    return order, index


# The settings that decide the rows and features (the rest only change what is fitted).
SHAPING = (
    "dataset",
    "n_steps",
    "n_features",
    "change",
    "change_at",
    "seed",
    "data",
    "target",
    "time",
    "engineer",
    "drop",
    "encode",
)


@cache_with_warnings(maxsize=8)
def _cached(params: ProductionParams, stamp: float | None) -> SeriesData:
    return bundled(params) if params.dataset == SERIES else from_csv(params)


def load_series(params: ProductionParams) -> SeriesData:
    """The lab's data, cached on the settings that shape it (and the CSV's modification
    time, so an edited file is read again)."""
    shaping = ProductionParams(**{name: getattr(params, name) for name in SHAPING})
    return _cached(shaping, csv_stamp(params.dataset, params.data))
