"""Internal errors (reglab's bugs, not the user's input) are written with their traceback to
one log file in the user state directory, so the on-screen notice can name it."""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

import platformdirs

logger = logging.getLogger("reglab")
MAX_LOG_BYTES = 1_000_000  # then the log starts afresh, keeping one older file


def log_file() -> Path:
    """Read at call time, so a changed ``XDG_STATE_HOME`` (tests) is honoured."""
    return platformdirs.user_state_path("reglab") / "reglab.log"


def log_internal_error(where: str, error: BaseException) -> Path:
    """Append ``error`` and its traceback to the log; returns the log's path."""
    path = log_file()
    logger.error("internal error in %s", where, exc_info=error)
    entry = f"{time.strftime('%Y-%m-%d %H:%M:%S')} internal error in {where}\n"
    entry += "".join(traceback.format_exception(error)) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_suffix(".log.1"))
        with path.open("a", encoding="utf-8") as handle:
            handle.write(entry)
    except OSError:
        pass  # a log that cannot be written must not become a second error
    return path


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def log_and_describe(where: str, error: BaseException) -> str:
    """Log ``error``; the one line a notice shows for it, naming the log."""
    return f"{describe(error)} (details in {log_internal_error(where, error)})"
