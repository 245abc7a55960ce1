"""The parameter machinery every lab shares: ``Spec``, ``param``, parsing, validation, steps.

Each lab declares a frozen ``LabParams`` dataclass beside its computation
(``reglab/core/<lab>/params.py``) whose fields carry a ``Spec`` (range, step, log scale,
choices, help). The CLI's ``--set`` parsing and ``--help``, the app's controls and the
validation are all generated from those declarations. This module imports neither
scikit-learn nor textual, so the app can build its controls before any heavy import.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from reglab.core.catalog import CSV
from reglab.core.errors import ParamError

INT, FLOAT, BOOL, CHOICE, TEXT, FLOATS = "int", "float", "bool", "choice", "text", "floats"
# The parameters that say which CSV file to read and how (each lab with dataset=csv).
CSV_SETTINGS = ("data", "target", "drop", "encode")
# Where a sweeping lab's units run (reglab.core.sweep): joblib threads here, or Dask.
LOCAL, DASK = "local", "dask"
AUTO = "auto"  # a value meaning "the reference value for the chosen model/dataset"
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Spec:
    """How one parameter may vary.

    ``step`` is additive for linear numbers and in decades for ``log`` ones (0.25 means
    ×10^0.25 per key press). A big step (shift+arrow) is ``big`` small steps. ``floor`` is
    the smallest positive value a log parameter whose range starts at 0 steps to from 0.
    """

    kind: str
    help: str
    low: float | None = None
    high: float | None = None
    step: float = 1.0
    big: int = 4
    log: bool = False
    floor: float | None = None
    choices: tuple[str, ...] = ()
    allow_none: bool = False
    allow_auto: bool = False

    def allowed(self) -> str:
        """Say in a few words what values this parameter takes."""
        extras = [w for w, ok in (("none", self.allow_none), (AUTO, self.allow_auto)) if ok]
        if self.kind == CHOICE:
            text = "one of " + ", ".join(self.choices)
        elif self.kind == BOOL:
            text = "true or false"
        elif self.kind == TEXT:
            text = "text"
        elif self.kind == FLOATS:
            text = "a comma-separated list of numbers" + (" (or none)" if self.allow_none else "")
            text += " in " + _range_text(self) if self.low is not None else ""
            return text + ", or empty for the default"
        else:
            noun = "an integer" if self.kind == INT else "a number"
            text = f"{noun} in {_range_text(self)}" if self.low is not None else noun
        return text + "".join(f", or {w}" for w in extras)


def _range_text(spec: Spec) -> str:
    high = "inf" if spec.high is None else f"{spec.high:g}"
    return f"[{spec.low:g}, {high}]"


def param(default: Any, help: str, kind: str | None = None, **options: Any) -> Any:
    """Declare a dataclass field with its spec; ``kind`` is inferred from the default."""
    if kind is None:
        kind = {bool: BOOL, int: INT, float: FLOAT, str: TEXT}[type(default)]
        if options.get("choices"):
            kind = CHOICE
    spec = Spec(kind=kind, help=help, **options)
    return field(default=default, metadata={"spec": spec})


@dataclass(frozen=True)
class LabParams:
    """Base class of every lab's parameters."""

    lab: ClassVar[str] = ""

    def relevant(self, name: str) -> bool:
        """Whether parameter ``name`` matters with the other values as they are (the app dims
        the rows that do not). The CSV settings matter only with ``dataset=csv``."""
        if name == "scheduler":
            return getattr(self, "backend", None) == DASK
        if name == "workers":  # a joined cluster has the workers it has
            return not (getattr(self, "backend", None) == DASK and getattr(self, "scheduler", ""))
        return name not in CSV_SETTINGS or getattr(self, "dataset", None) == CSV

    def effective(self) -> Self:
        """Resolve ``auto`` values to what the lab really uses (shown in JSON ``params``)."""
        return self

    def check(self) -> None:
        """Raise ``ParamError`` for combinations that are invalid as a whole."""
        uses_csv = getattr(self, "dataset", None) == "csv"
        if uses_csv and not getattr(self, "data", ""):
            raise ParamError("data", "dataset=csv needs data=PATH to a CSV file")
        if uses_csv and not getattr(self, "target", ""):
            raise ParamError("target", "dataset=csv needs target=COLUMN")


def specs(params: type[LabParams] | LabParams) -> dict[str, Spec]:
    """The specs of a params class (or instance), in declaration order."""
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(params)}


def parse_value(name: str, spec: Spec, text: str) -> Any:
    """Turn the text a user typed (CLI ``--set`` or the app) into a validated value."""
    raw = text.strip()
    lowered = raw.lower()
    if spec.allow_none and lowered == "none":
        return None
    if spec.allow_auto and lowered == AUTO:
        return AUTO
    if spec.kind == BOOL:
        if lowered in _TRUE | _FALSE:
            return lowered in _TRUE
        raise ParamError(name, f"{raw!r} is not allowed; expected {spec.allowed()}")
    if spec.kind == CHOICE:
        return validate_value(name, spec, lowered)
    if spec.kind == TEXT:
        return raw
    if spec.kind == FLOATS:
        items = [item.strip() for item in raw.split(",") if item.strip()]
        return validate_value(name, spec, tuple(_parse_list_item(name, spec, i) for i in items))
    return validate_value(name, spec, _parse_number(name, spec, raw))


def _parse_number(name: str, spec: Spec, raw: str) -> float | int:
    try:
        number = float(raw)
    except ValueError:
        raise ParamError(name, f"{raw!r} is not allowed; expected {spec.allowed()}") from None
    if spec.kind == INT:
        if not number.is_integer():
            raise ParamError(name, f"{raw!r} is not allowed; expected {spec.allowed()}")
        return int(number)
    return number


def _parse_list_item(name: str, spec: Spec, item: str) -> float | None:
    if spec.allow_none and item.lower() == "none":
        return None
    try:
        return float(item)
    except ValueError:
        raise ParamError(name, f"{item!r} is not a number; expected {spec.allowed()}") from None


def validate_value(name: str, spec: Spec, value: Any) -> Any:
    """Check a value against its spec; return it (ints stay ints) or raise ``ParamError``."""
    if value is None and spec.allow_none or value == AUTO and spec.allow_auto:
        return value
    problem = f"{value!r} is not allowed; expected {spec.allowed()}"
    if spec.kind == CHOICE:
        if value not in spec.choices:
            raise ParamError(name, problem)
    elif spec.kind == BOOL:
        if not isinstance(value, bool):
            raise ParamError(name, problem)
    elif spec.kind == TEXT:
        if not isinstance(value, str):
            raise ParamError(name, problem)
    elif spec.kind == FLOATS:
        for item in value:
            if item is None and spec.allow_none:
                continue
            _check_number(name, spec, item, problem)
    else:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParamError(name, problem)
        if spec.kind == INT and not float(value).is_integer():
            raise ParamError(name, problem)
        _check_number(name, spec, value, problem)
        return int(value) if spec.kind == INT else float(value)
    return value


def _check_number(name: str, spec: Spec, value: float, problem: str) -> None:
    if not math.isfinite(value):
        raise ParamError(name, problem)
    if spec.low is not None and value < spec.low or spec.high is not None and value > spec.high:
        raise ParamError(name, problem)


def with_values(params: LabParams, updates: Mapping[str, Any]) -> LabParams:
    """Return ``params`` with ``updates`` applied; strings are parsed, everything validated.

    Unknown names, bad values and invalid combinations raise ``ParamError`` naming the
    parameter and what is allowed; ``params`` itself is never changed.
    """
    known = specs(params)
    changes = {}
    for name, value in updates.items():
        if name not in known:
            raise ParamError(name, "unknown parameter; known: " + ", ".join(known))
        spec = known[name]
        parse = parse_value if isinstance(value, str) and spec.kind != TEXT else None
        changes[name] = parse(name, spec, value) if parse else validate_value(name, spec, value)
    # A CSV path on its own means that CSV: no need to say dataset=csv as well.
    dataset = known.get("dataset")
    if changes.get("data") and "dataset" not in changes and dataset and CSV in dataset.choices:
        changes["dataset"] = CSV
    updated = dataclasses.replace(params, **changes)
    updated.check()
    return updated


def check_consistent(params: LabParams, names: list[str]) -> None:
    """Raise ``ParamError`` when one setting the user gave (``names``) has no effect because
    of another they also gave, e.g. ``mode=simulate`` with ``dataset=csv``: one of the two is
    a mistake, so nothing runs. (A setting idle only because of a default gets a note.)"""
    given = list(dict.fromkeys(names))
    for name in given:
        cause = None if params.relevant(name) else _cause(params, name, given)
        if cause:
            other, needed = cause
            raise ParamError(
                name,
                f"{format_value(getattr(params, name))} has no effect with "
                f"{other}={format_value(getattr(params, other))}; it needs "
                f"{other}={format_value(needed)} (or leave {name} out)",
            )


def ignored(params: LabParams, names: list[str]) -> list[str]:
    """A note for each of ``names`` (parameters the user set) that has no effect with the
    other values: the CLI says so instead of ignoring it in silence (the app dims it)."""
    notes = []
    for name in dict.fromkeys(names):
        if params.relevant(name):
            continue
        note = f"{name}={format_value(getattr(params, name))} has no effect with these settings"
        cause = _cause(params, name, list(specs(params)))
        if cause:
            other, needed = cause
            note += f" ({other}={format_value(getattr(params, other))}; set {other}="
            note += f"{format_value(needed)} for it)"
        notes.append(note)
    return notes


def _cause(params: LabParams, name: str, others: list[str]) -> tuple[str, Any] | None:
    """The first of ``others`` and a value of it that would make ``name`` matter (only
    choices and switches are searched), or None."""
    known = specs(params)
    for other in others:
        spec, value = known[other], getattr(params, other)
        if spec.kind == BOOL:
            candidates: tuple[Any, ...] = (not value,)
        elif spec.kind == CHOICE:
            candidates = tuple(c for c in spec.choices if c != value)
        else:
            continue
        for candidate in candidates:
            if dataclasses.replace(params, **{other: candidate}).relevant(name):
                return other, candidate
    return None


def step_value(
    spec: Spec,
    value: Any,
    direction: int,
    big: bool = False,
    span: tuple[float, float] | None = None,
) -> Any:
    """The value one key press away (``direction`` is +1 or -1), clamped to the range.

    ``span`` is the range that matters for the data (a result's ``ranges``): the keys step
    within it, from 0 straight to its low end, and stop at its ends; a typed value beyond
    it (the spec's limits are wider) steps on from where it is.
    """
    if spec.kind == BOOL:
        return not value
    if spec.kind == CHOICE:
        index = spec.choices.index(value) if value in spec.choices else -1
        return spec.choices[(index + direction) % len(spec.choices)]
    if spec.kind not in (INT, FLOAT):
        return value
    if value is None or value == AUTO:
        # "none" (e.g. unlimited depth) sits beyond the top of the range.
        return spec.high if direction < 0 and spec.high is not None else value
    steps = direction * (spec.big if big else 1)
    if spec.log and span is not None:
        return _step_in_span(spec, float(value), steps, span)
    if spec.log:
        new = _log_step(spec, float(value), steps)
    else:
        new = value + steps * spec.step
    if spec.allow_none and spec.high is not None and value >= spec.high and direction > 0:
        return None
    return _clamp(spec, new)


def _step_in_span(spec: Spec, value: float, steps: int, span: tuple[float, float]) -> float:
    low, high = (float(f"{end:.6g}") for end in span)
    if value <= 0:
        return low if steps > 0 else 0.0
    new = _log_step(dataclasses.replace(spec, floor=None, low=None), value, steps)
    inside = low * (1 - 1e-4) <= value <= high * (1 + 1e-4)  # as shown: 4 digits
    if inside and new > high:
        new = high
    elif inside and new < low:
        # At the low end a range that starts at 0 (alpha 0: no penalty) goes on to 0.
        new = 0.0 if spec.low == 0 and value <= low * (1 + 1e-4) else low
    return _clamp(spec, new)


def _log_step(spec: Spec, value: float, steps: int) -> float:
    floor = spec.floor if spec.floor is not None else spec.low
    if value <= 0:
        return (floor or 0.0) if steps > 0 else 0.0
    exponent = round(math.log10(value) / spec.step) * spec.step + steps * spec.step
    new = float(f"{10**exponent:.6g}")
    if floor is not None and new < floor * (1 - 1e-9):
        return 0.0 if spec.low == 0 else floor
    return new


def _clamp(spec: Spec, value: float) -> Any:
    if spec.low is not None:
        value = max(spec.low, value)
    if spec.high is not None:
        value = min(spec.high, value)
    return int(round(value)) if spec.kind == INT else float(f"{value:.10g}")


def format_value(value: Any) -> str:
    """Show a value the way a user would type it back."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, tuple):
        return ",".join(format_value(v) for v in value)
    return str(value)


def params_to_json(params: LabParams) -> dict[str, Any]:
    """Every effective parameter as plain JSON values."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in dataclasses.asdict(params).items()
    }


def changed_values(params: LabParams) -> dict[str, Any]:
    """The parameters that differ from the lab's defaults, as plain JSON values."""
    defaults = params_to_json(type(params)())
    return {k: v for k, v in params_to_json(params).items() if defaults.get(k) != v}


def params_from_json(defaults: LabParams, values: Mapping[str, Any]) -> LabParams:
    """``defaults`` with plain JSON values (``params_to_json``'s: a saved or exported run's
    parameters) applied and validated by the rules ``--set`` follows."""
    plain = {name: tuple(v) if isinstance(v, list) else v for name, v in values.items()}
    return with_values(defaults, plain)


# --- shared field declarations --------------------------------------------------------

SEED_HELP = "random seed: same parameters and seed give the same numbers"


def seed_param(default: int = 42) -> Any:
    return param(default, SEED_HELP, low=0, high=2**32 - 1)


def data_param() -> Any:
    return param("", "path to a CSV file (with dataset=csv)")


def target_param() -> Any:
    return param("", "name of the target column in the CSV file (with dataset=csv)")


def drop_param() -> Any:
    return param("", "comma-separated CSV columns to leave out, e.g. an id (with dataset=csv)")


def encode_param() -> Any:
    return param(
        "none",
        "text feature columns: none refuses them, onehot makes one 0/1 column per value",
        choices=("none", "onehot"),
    )


def backend_param() -> Any:
    return param(
        LOCAL,
        "where the sweep's units run: local (joblib threads) or dask (a Dask cluster; "
        "pip install 'reglab[dask]')",
        choices=(LOCAL, DASK),
    )


def workers_param() -> Any:
    return param(
        AUTO,
        "parallel workers: local threads, or the embedded Dask LocalCluster's processes "
        "(auto = every core; the app keeps one for the screen)",
        kind=INT,
        low=1,
        high=256,
        allow_auto=True,
    )


def scheduler_param() -> Any:
    return param(
        "",
        "Dask scheduler address, e.g. tcp://host:8786 (with backend=dask; empty = "
        "$REGLAB_DASK_SCHEDULER, else an embedded LocalCluster)",
    )
