"""Shared fixtures: run the CLI in-process and read its JSON."""

from __future__ import annotations

import json
import logging
import os
import tempfile

# Before reglab is imported: the tests' settings, keymap and error log live in a folder of
# their own, never in the user's config and state directories.
_HOME = tempfile.mkdtemp(prefix="reglab-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_STATE_HOME"] = os.path.join(_HOME, "state")

import pytest  # noqa: E402
import textual.constants  # noqa: E402

from reglab.cli import main  # noqa: E402

# Snapshots must not catch an animation (the tab underline slides) half-way: every app made
# in the tests starts with animations off (App.__init__ reads this constant).
textual.constants.TEXTUAL_ANIMATIONS = "none"


@pytest.fixture
def cli_json(capsys):
    """Run ``reglab run LAB --set ... --json`` in-process; return the parsed JSON."""

    def run(lab: str, *settings: str) -> dict:
        argv = ["run", lab, "--json"]
        for setting in settings:
            argv += ["--set", setting]
        assert main(argv) == 0
        return json.loads(capsys.readouterr().out)

    return run


@pytest.fixture
def cli_error(capsys):
    """Run the CLI expecting a usage error; return (exit code, stderr)."""

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.err

    return run


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def internal_errors():
    """The internal errors (reglab's bugs, caught and logged) raised during the test."""
    handler = _Collect()
    logger = logging.getLogger("reglab")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
