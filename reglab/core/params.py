"""Parameter specs: one frozen dataclass per lab, each field carrying its range, step and help.

This is the single source of truth for the CLI's ``--set`` parsing and ``--help``, the app's
parameter controls and validation. It imports neither scikit-learn nor textual, so the app
can build its controls before any heavy import.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from reglab.core.errors import ParamError

INT, FLOAT, BOOL, CHOICE, TEXT, FLOATS = "int", "float", "bool", "choice", "text", "floats"
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
    updated = dataclasses.replace(params, **changes)
    updated.check()
    return updated


def step_value(spec: Spec, value: Any, direction: int, big: bool = False) -> Any:
    """The value one key press away (``direction`` is +1 or -1), clamped to the range."""
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
    if spec.log:
        new = _log_step(spec, float(value), steps)
    else:
        new = value + steps * spec.step
    if spec.allow_none and spec.high is not None and value >= spec.high and direction > 0:
        return None
    return _clamp(spec, new)


def _log_step(spec: Spec, value: float, steps: int) -> float:
    floor = spec.floor if spec.floor is not None else spec.low
    if value <= 0:
        return floor if steps > 0 else 0.0
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


# --- shared field declarations --------------------------------------------------------

SEED_HELP = "random seed: same parameters and seed give the same numbers"


def seed_param(default: int = 42) -> Any:
    return param(default, SEED_HELP, low=0, high=2**32 - 1)


def data_param() -> Any:
    return param("", "path to a CSV file (with dataset=csv)")


def target_param() -> Any:
    return param("", "name of the target column in the CSV file (with dataset=csv)")


# --- the seven labs -------------------------------------------------------------------


@dataclass(frozen=True)
class OverfittingParams(LabParams):
    lab: ClassVar[str] = "overfitting"
    degree: int = param(14, "polynomial degree of the features", low=1, high=20)
    alpha: float = param(
        0.0,
        "ridge penalty strength (0 = plain least squares)",
        low=0,
        high=1e4,
        log=True,
        step=0.25,
        floor=1e-4,
    )
    n_samples: int = param(15, "number of training points", low=5, high=500, step=5)
    noise: float = param(
        0.3, "standard deviation of the noise added to y", low=0, high=5, step=0.05
    )
    seed: int = seed_param()


@dataclass(frozen=True)
class PenaltiesParams(LabParams):
    lab: ClassVar[str] = "penalties"
    model: str = param(
        "lasso",
        "which penalty: ridge (L2), lasso (L1) or elasticnet (both)",
        choices=("ridge", "lasso", "elasticnet"),
    )
    alpha: float = param(1.0, "penalty strength", low=1e-3, high=1e3, log=True, step=0.25)
    l1_ratio: float = param(0.5, "elastic net mix: 0 = ridge, 1 = lasso", low=0, high=1, step=0.05)
    dataset: str = param(
        "synthetic",
        "data: make_regression reference, correlated pair, diabetes, or csv",
        choices=("synthetic", "correlated", "diabetes", "csv"),
    )
    data: str = data_param()
    target: str = target_param()
    standardize: bool = param(False, "scale features to unit variance before fitting")
    folds: int = param(5, "folds for cross-validated MSE (KFold, no shuffle)", low=2, high=20)
    seed: int = seed_param()


CLASSIFICATION_DATASETS = ("breast_cancer", "wine", "iris", "digits", "csv")


@dataclass(frozen=True)
class ClassificationParams(LabParams):
    lab: ClassVar[str] = "classification"
    penalty: str = param(
        "l2", "logistic regression penalty", choices=("none", "l1", "l2", "elasticnet")
    )
    C: float = param(
        1.0,
        "inverse penalty strength (small C = strong penalty)",
        low=1e-4,
        high=1e4,
        log=True,
        step=0.25,
    )
    l1_ratio: float = param(0.5, "elastic net mix: 0 = L2, 1 = L1", low=0, high=1, step=0.05)
    dataset: str = param(
        "breast_cancer", "classification data set", choices=CLASSIFICATION_DATASETS
    )
    data: str = data_param()
    target: str = target_param()
    standardize: bool = param(True, "scale features inside the CV pipeline")
    folds: int = param(5, "cross-validation folds", low=2, high=20)
    max_iter: int = param(1000, "solver iteration limit", low=10, high=100_000, log=True, step=0.5)
    grid: bool = param(False, "grid mode: C x l1_ratio elastic-net search scored by ROC AUC")
    seed: int = seed_param()


# Reference knob values per tree model; "auto" resolves to these.
TREE_DEFAULTS: dict[str, dict[str, Any]] = {
    "tree": {"max_depth": 5, "min_samples_leaf": 5, "max_features": "sqrt"},
    "forest": {"max_depth": 10, "min_samples_leaf": 2, "max_features": "sqrt"},
    "boosting": {"max_depth": 3, "min_samples_leaf": 1, "max_features": "all"},
}


@dataclass(frozen=True)
class TreesParams(LabParams):
    lab: ClassVar[str] = "trees"
    model: str = param(
        "tree",
        "decision tree, random forest or gradient boosting",
        choices=("tree", "forest", "boosting"),
    )
    max_depth: Any = param(
        AUTO,
        "deepest split allowed (none = unlimited; auto = reference)",
        kind=INT,
        low=1,
        high=30,
        allow_none=True,
        allow_auto=True,
    )
    min_samples_split: int = param(
        10, "samples a node needs before it may split (tree)", low=2, high=200
    )
    min_samples_leaf: Any = param(
        AUTO,
        "samples every leaf must keep (auto = reference)",
        kind=INT,
        low=1,
        high=100,
        allow_auto=True,
    )
    max_features: str = param(
        AUTO, "features tried per split (auto = reference)", choices=(AUTO, "sqrt", "log2", "all")
    )
    n_estimators: int = param(
        100, "trees in the forest / boosting stages", low=1, high=1000, step=10
    )
    learning_rate: float = param(0.1, "boosting shrinkage", low=1e-3, high=1, log=True, step=0.25)
    subsample: float = param(0.8, "fraction of rows per boosting stage", low=0.1, high=1, step=0.05)
    test_size: float = param(
        0.25, "held-out fraction (stratified split)", low=0.1, high=0.5, step=0.05
    )
    folds: int = param(
        5, "CV folds on the training split (StratifiedKFold, no shuffle)", low=2, high=20
    )
    dataset: str = param(
        "breast_cancer", "classification data set", choices=CLASSIFICATION_DATASETS
    )
    data: str = data_param()
    target: str = target_param()
    seed: int = seed_param()

    def effective(self) -> TreesParams:
        reference = TREE_DEFAULTS[self.model]
        resolved = {k: reference[k] for k in reference if getattr(self, k) == AUTO}
        return dataclasses.replace(self, **resolved)


@dataclass(frozen=True)
class DropoutParams(LabParams):
    lab: ClassVar[str] = "dropout"
    dropout: float = param(
        0.3, "dropout probability after each hidden layer", low=0, high=0.9, step=0.05
    )
    weight_decay: float = param(
        0.0, "L2 penalty (weight decay)", low=0, high=1, log=True, step=0.5, floor=1e-6
    )
    l1: float = param(
        0.0,
        "L1 penalty on weights, added to the loss",
        low=0,
        high=0.1,
        log=True,
        step=0.5,
        floor=1e-7,
    )
    optimizer: str = param(
        "adam", "adam: L2 in the gradient; adamw: decoupled weight decay", choices=("adam", "adamw")
    )
    lr: float = param(1e-3, "Adam learning rate", low=1e-5, high=1.0, log=True, step=0.25)
    batch_size: int = param(64, "mini-batch size", low=8, high=1024, step=8)
    max_epochs: int = param(200, "epochs at most", low=1, high=2000, step=10)
    patience: int = param(10, "early-stopping patience in epochs (0 = off)", low=0, high=200)
    augment_noise: float = param(
        0.0, "std of Gaussian noise added to each training batch", low=0, high=1, step=0.01
    )
    dataset: str = param(
        "synthetic",
        "synthetic reference data, digits, or csv",
        choices=("synthetic", "digits", "csv"),
    )
    data: str = data_param()
    target: str = target_param()
    device: str = param(
        "auto", "where to train: auto uses CUDA when available", choices=("auto", "cpu", "cuda")
    )
    seed: int = seed_param()


@dataclass(frozen=True)
class LambdaParams(LabParams):
    lab: ClassVar[str] = "lambda"
    model: str = param(
        "lasso",
        "model whose penalty strength is searched (logistic: alpha = 1/C)",
        choices=("ridge", "lasso", "elasticnet", "logistic"),
    )
    alphas: tuple = param(
        (), "alpha grid (empty = 50 log-spaced values fitted to the data)", kind=FLOATS, low=0
    )
    l1_ratio: Any = param(
        AUTO,
        "L1 share of the penalty for elasticnet and logistic (auto = "
        "0.5 for elasticnet, 0 = L2 for logistic; ridge is 0, lasso 1)",
        kind=FLOAT,
        low=0,
        high=1,
        step=0.05,
        allow_auto=True,
    )
    folds: int = param(5, "cross-validation folds", low=2, high=20)
    splitter: str = param(
        AUTO,
        "how folds are cut (auto = kfold, stratified for logistic)",
        choices=(AUTO, "kfold", "timeseries", "stratified"),
    )
    standardize: Any = param(
        AUTO,
        "scale features inside each training fold (auto = only for logistic)",
        kind=BOOL,
        allow_auto=True,
    )
    dataset: str = param(
        AUTO,
        "data (auto = penalties reference data, breast_cancer for logistic)",
        choices=(
            AUTO,
            "synthetic",
            "correlated",
            "diabetes",
            "breast_cancer",
            "wine",
            "iris",
            "digits",
            "csv",
        ),
    )
    data: str = data_param()
    target: str = target_param()
    seed: int = seed_param()

    def effective(self) -> LambdaParams:
        logistic = self.model == "logistic"
        l1_ratio = {"ridge": 0.0, "lasso": 1.0}.get(self.model, self.l1_ratio)
        if l1_ratio == AUTO:
            l1_ratio = 0.0 if logistic else 0.5
        resolved = {
            "l1_ratio": float(l1_ratio),
            "splitter": ("stratified" if logistic else "kfold")
            if self.splitter == AUTO
            else self.splitter,
            "standardize": logistic if self.standardize == AUTO else self.standardize,
            "dataset": ("breast_cancer" if logistic else "synthetic")
            if self.dataset == AUTO
            else self.dataset,
        }
        return dataclasses.replace(self, **resolved)

    def check(self) -> None:
        super().check()
        logistic = self.model == "logistic"
        if self.splitter == "stratified" and not logistic:
            raise ParamError("splitter", "stratified folds need model=logistic")
        if any(alpha <= 0 for alpha in self.alphas):
            raise ParamError("alphas", "every alpha must be > 0 (the curve has a log-alpha axis)")
        if self.model == "elasticnet" and self.l1_ratio == 0:
            raise ParamError(
                "l1_ratio", "elasticnet needs l1_ratio > 0; use model=ridge for a pure L2 penalty"
            )
        regression = ("synthetic", "correlated", "diabetes")
        if logistic and self.dataset in regression:
            raise ParamError(
                "dataset",
                f"{self.dataset} is a regression set; model=logistic "
                "needs breast_cancer, wine, iris, digits or csv",
            )
        if not logistic and self.dataset in CLASSIFICATION_DATASETS[:-1]:
            raise ParamError(
                "dataset",
                f"{self.dataset} is a classification set; "
                f"model={self.model} needs synthetic, correlated, diabetes or csv",
            )


@dataclass(frozen=True)
class BiasVarianceParams(LabParams):
    lab: ClassVar[str] = "bias-variance"
    model: str = param(
        "ridge",
        "ridge on polynomial features (sweep alpha), tree (sweep max_depth) or knn (sweep k)",
        choices=("ridge", "tree", "knn"),
    )
    degree: Any = param(
        AUTO,
        "polynomial degree for the ridge model (auto = 10 in simulate mode, 1 in bootstrap mode)",
        kind=INT,
        low=1,
        high=20,
        allow_auto=True,
    )
    values: tuple = param(
        (),
        "complexity values to sweep (empty = the model's default sweep; "
        "none = unlimited tree depth)",
        kind=FLOATS,
        low=0,
        allow_none=True,
    )
    rounds: int = param(200, "training sets drawn per complexity value", low=2, high=5000, step=50)
    n_train: int = param(50, "training points per round (simulate mode)", low=5, high=5000, step=10)
    noise: float = param(
        0.3, "noise standard deviation of the simulation", low=0, high=5, step=0.05
    )
    mode: str = param(
        "simulate",
        "simulate (truth known) or bootstrap (mlxtend's scheme)",
        choices=("simulate", "bootstrap"),
    )
    dataset: str = param("diabetes", "data for bootstrap mode", choices=("diabetes", "csv"))
    data: str = data_param()
    target: str = target_param()
    seed: int = seed_param()

    def sweep(self) -> tuple:
        """The values as a tuple; a lone ``none`` (unlimited tree depth) parses as None."""
        return (None,) if self.values is None else self.values

    def effective(self) -> BiasVarianceParams:
        degree = (1 if self.mode == "bootstrap" else 10) if self.degree == AUTO else self.degree
        return dataclasses.replace(self, degree=degree, values=self.sweep())

    def check(self) -> None:
        if self.mode == "bootstrap":
            super().check()
        if self.model == "ridge":
            if any(v is None or v <= 0 for v in self.sweep()):
                raise ParamError("values", "ridge sweeps alpha: every value must be > 0")
            return
        what = "k (neighbours)" if self.model == "knn" else "max_depth"
        for value in self.sweep():
            if value is None and self.model == "tree":
                continue
            if value is None or value < 1 or not float(value).is_integer():
                extra = " or none" if self.model == "tree" else ""
                raise ParamError(
                    "values",
                    f"{self.model} sweeps {what}: every value must be an integer >= 1{extra}",
                )
        if self.model == "knn" and self.mode == "simulate":
            if any(v > self.n_train for v in self.sweep()):
                raise ParamError("values", f"k must be <= n_train ({self.n_train})")


ALL_PARAMS: tuple[type[LabParams], ...] = (
    OverfittingParams,
    PenaltiesParams,
    ClassificationParams,
    TreesParams,
    DropoutParams,
    LambdaParams,
    BiasVarianceParams,
)
