"""Safe file writes: atomic (a temp file in the same folder, then a rename) and never over
an existing file unless asked: a taken name gets a ``-1``, ``-2``, ... suffix instead.

A reader never sees half a file, and a file the user edited since it was written is never
replaced behind their back.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from itertools import count
from pathlib import Path

Writer = Callable[[Path], object]  # writes the whole content to the path it is given


def free_stem(stem: Path, suffixes: Sequence[str]) -> Path:
    """``stem``, or ``stem-1``, ``stem-2``, ...: the first for which no file with any of
    ``suffixes`` exists (so a JSON and its CSV keep one name)."""
    for n in count():
        candidate = stem if n == 0 else stem.with_name(f"{stem.name}-{n}")
        if not any(candidate.with_name(candidate.name + s).exists() for s in suffixes):
            return candidate
    raise AssertionError("unreachable")


def write_atomic(path: Path, write: Writer, *, force: bool = False) -> Path:
    """Write ``path`` through ``write`` atomically. Without ``force`` an existing file is
    kept and the next free ``-N`` name is used; returns the path written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        if force:
            os.replace(temp, path)
            return path
        for n in count():
            target = path if n == 0 else path.with_name(f"{path.stem}-{n}{path.suffix}")
            try:
                _claim(temp, target)
            except FileExistsError:
                continue
            return target
        raise AssertionError("unreachable")
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> Path:
    return write_atomic(path, lambda temp: temp.write_text(text, encoding="utf-8"), force=force)


def _claim(temp: Path, target: Path) -> None:
    """Give ``temp`` the name ``target``; FileExistsError if that name is taken."""
    try:
        os.link(temp, target)  # atomic, and fails if the name is taken
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network or FAT file systems): reserve the name, then
        # rename over the empty reservation.
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        os.replace(temp, target)
