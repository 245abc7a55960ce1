"""Every table in a lab's JSON result, for CSV export: one table per file.

A result's JSON holds its numbers in a few shapes, and each becomes tables by one rule
(``tables`` walks the payload; ``lab``, ``params``, ``notes`` and ``ranges`` are left out, the
JSON beside the CSVs keeps them):

- **scalars**: every number or text not in a list, one row each: ``key`` (its dotted path,
  ``geometry.radius_l1``) and ``value``.
- **columns**: in one object, the lists of plain values of one length are the columns of one
  table (lambda: ``alphas``, ``cv_mean``, ``cv_se``, ``n_nonzero``). A matrix (a list of
  equal-length lists) whose rows have that length adds one column per row, ``name_0``,
  ``name_1``, ... (lambda's ``fold_scores``: one column per fold; the penalties path's
  ``coefs``: one column per feature). A matrix with no such partner is a table of its own,
  one row per row. A list of uneven lists of words (the features a window selected) is a
  column of space-separated words.
- **records**: a list of objects is a table, one row per object; nested objects' values get
  dotted column names. Lists inside the objects, all of one length, are unrolled: one row
  per element, the object's other values repeated (production's ``cv_by_splitter``: one row
  per splitter and alpha).

A table is named by the dotted path of the object it comes from, plus its first column's
name where one object holds several (``alphas`` and ``coef_min`` in the lambda lab).
Nothing numeric is dropped: every number of the payload is a cell of some table
(``tests/unit/test_tables.py`` checks it for every lab).
"""

from __future__ import annotations

import csv
import io
from typing import Any

Row = dict[str, Any]
Table = list[Row]
LEFT_OUT = ("lab", "params", "notes", "ranges", "pins")  # pins: tables of their own
SCALARS = "scalars"


def tables(payload: dict[str, Any]) -> dict[str, Table]:
    """The payload's tables by name, scalars first (see the module docstring); a pinned
    run's (``pins``, exported from the app) follow, named ``pin1.TABLE``, ``pin2.TABLE``."""
    found: dict[str, Table] = {SCALARS: []}
    body = {key: value for key, value in payload.items() if key not in LEFT_OUT}
    _walk(body, "", found)
    if not found[SCALARS]:
        del found[SCALARS]
    for number, pin in enumerate(payload.get("pins", []), start=1):
        found.update({f"pin{number}.{name}": table for name, table in tables(pin).items()})
    return found


def to_csv(table: Table) -> str:
    """A table as CSV text: the union of its rows' columns, in first-seen order."""
    columns: dict[str, None] = {}
    for row in table:
        columns.update(dict.fromkeys(row))
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(columns), restval="")
    writer.writeheader()
    writer.writerows(table)
    return text.getvalue()


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _is_matrix(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(row, list) and all(map(_plain, row)) for row in value)
    )


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _add(found: dict[str, Table], name: str, table: Table) -> None:
    unique, n = name, 1
    while unique in found:
        n += 1
        unique = f"{name}_{n}"
    found[unique] = table


def _walk(node: dict[str, Any], path: str, found: dict[str, Table]) -> None:
    columns: dict[str, list] = {}  # plain lists, and uneven word lists joined
    matrices: dict[str, list[list]] = {}
    for key, value in node.items():
        where = _join(path, key)
        if _plain(value):
            found[SCALARS].append({"key": where, "value": value})
        elif isinstance(value, dict):
            _walk(value, where, found)
        elif _is_records(value):
            _add(found, where, [row for record in value for row in _unrolled(record)])
        elif isinstance(value, list) and all(map(_plain, value)):
            if value:
                columns[key] = value
        elif _is_matrix(value) and len({len(row) for row in value}) == 1:
            matrices[key] = value
        elif _is_matrix(value):  # uneven rows: lists of names
            columns[key] = [" ".join(str(v) for v in row) for row in value]
        else:
            raise ValueError(f"{where}: no table rule for this value")
    groups: dict[int, dict[str, list]] = {}
    for key, column in columns.items():
        groups.setdefault(len(column), {})[key] = column
    for key, matrix in matrices.items():
        width = len(matrix[0])
        if width in groups:  # one column per row of the matrix
            groups[width].update({f"{key}_{i}": row for i, row in enumerate(matrix)})
        else:
            table = [{f"{key}_{j}": v for j, v in enumerate(row)} for row in matrix]
            _add(found, _join(path, key), table)
    for group in groups.values():
        name = path if len(groups) == 1 and path else _join(path, next(iter(group)))
        length = len(next(iter(group.values())))
        _add(found, name, [{k: col[i] for k, col in group.items()} for i in range(length)])


def _flat(record: dict[str, Any], prefix: str = "") -> Row:
    """A record's values with nested objects' keys dotted; lists stay lists."""
    row: Row = {}
    for key, value in record.items():
        if isinstance(value, dict):
            row.update(_flat(value, f"{prefix}{key}."))
        else:
            row[prefix + key] = value
    return row


def _unrolled(record: dict[str, Any]) -> Table:
    """One row, or one row per element where the record holds lists (all one length)."""
    row = _flat(record)
    lists = {k: v for k, v in row.items() if isinstance(v, list)}
    if not lists:
        return [row]
    lengths = {len(v) for v in lists.values()}
    if len(lengths) != 1 or not all(all(map(_plain, v)) for v in lists.values()):
        # Lists of other lengths or shapes: each becomes one cell of space-separated values.
        return [{k: " ".join(map(str, v)) if k in lists else v for k, v in row.items()}]
    plain = {k: v for k, v in row.items() if k not in lists}
    return [{**plain, **{k: v[i] for k, v in lists.items()}} for i in range(lengths.pop())]
