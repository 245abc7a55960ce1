"""Typed lab results and their JSON form.

Each lab returns a frozen dataclass deriving from ``LabResult``. ``to_json()`` gives the
contract the CLI prints: ``lab``, ``params`` (every effective parameter), the lab's own keys
and ``notes``. Numbers become plain floats/ints; a non-finite number becomes ``null`` and is
named in ``notes``, so NaN never reaches the output silently.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from reglab.core.spec import LabParams, params_to_json


@dataclass(frozen=True)
class LabResult:
    """Base of every lab's result: the effective params plus notes for the user."""

    params: LabParams
    # Things the user should know that are not errors (non-convergence, clipped values).
    notes: tuple[str, ...] = dataclasses.field(default=(), kw_only=True)
    # The range of a parameter that matters for these data (alpha from alpha_max down),
    # where the app's arrow keys step; typed values beyond it are allowed, with a note.
    ranges: dict[str, tuple[float, float]] = dataclasses.field(default_factory=dict, kw_only=True)

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"lab": self.params.lab, "params": params_to_json(self.params)}
        nonfinite: list[str] = []
        for field in dataclasses.fields(self):
            if field.name not in ("params", "notes", "ranges"):
                payload[field.name] = to_plain(getattr(self, field.name), field.name, nonfinite)
        notes = list(self.notes)
        if nonfinite:
            notes.append("not finite, shown as null: " + ", ".join(sorted(set(nonfinite))))
        payload["ranges"] = {name: list(span) for name, span in self.ranges.items()}
        payload["notes"] = notes
        return payload


def to_plain(value: Any, where: str = "", nonfinite: list[str] | None = None) -> Any:
    """Convert numpy/dataclass/tuple values to JSON types, recording non-finite numbers."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_plain(v, f"{where}.{k}", nonfinite) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v, where, nonfinite) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        if nonfinite is not None:
            nonfinite.append(where)
        return None
    return value
