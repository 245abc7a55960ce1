"""``reglab --lab LAB --set KEY=VALUE``: the app opens on that lab with those values, by the
same rules and errors as ``reglab run``."""

from __future__ import annotations

import pytest

import reglab.app
from reglab.cli import main


@pytest.fixture
def started(monkeypatch):
    """What the app would have been started with, instead of starting it."""
    seen: dict = {}

    class FakeApp:
        def __init__(self, **options):
            seen.update(options)

        def run(self):
            seen["ran"] = True

    monkeypatch.setattr(reglab.app, "ReglabApp", FakeApp)
    return seen


def test_lab_and_set_open_that_lab_with_those_values(started):
    assert main(["--lab", "penalties", "--set", "alpha=0.1", "--set", "model=ridge"]) == 0
    assert started["ran"] and started["start_lab"] == "penalties"
    params = started["start_params"]
    assert (params.alpha, params.model) == (0.1, "ridge")


def test_the_app_command_form_still_works(started):
    assert main(["app", "trees", "--set", "max_depth=3"]) == 0
    assert started["start_lab"] == "trees" and started["start_params"].max_depth == 3


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--lab", "penalties", "--set", "alpha=-1"], "alpha"),
        (["--lab", "penalties", "--set", "nope=1"], "unknown parameter"),
        (["--set", "alpha=1"], "--set needs a lab"),
    ],
)
def test_bad_start_settings_are_the_same_one_line_as_run(started, capsys, argv, fragment):
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert fragment in error and error.count("\n") == 1 and "ran" not in started
    if argv[0] == "--lab":  # word for word what `reglab run` says
        assert main(["run", "penalties", "--set", argv[-1]]) == 2
        assert capsys.readouterr().err == error


def test_reset_starts_from_defaults_and_saved_settings_are_read_otherwise(
    started, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    from reglab import settings

    settings.save(settings.Settings(theme="nord", lab="trees"))
    assert main([]) == 0
    assert started["settings"].settings.theme == "nord"
    assert started["settings_path"] == settings.settings_file()
    assert main(["--reset"]) == 0
    assert started["settings"].settings == settings.Settings()


def test_record_starts_a_new_file_and_never_overwrites_one(started, tmp_path, capsys):
    fresh = tmp_path / "fresh.jsonl"
    assert main(["--lab", "trees", "--record", str(fresh)]) == 0
    assert started["recorder"].path == fresh and '"lab": "trees"' in fresh.read_text()
    started.clear()
    assert main(["--record", str(fresh)]) == 2
    assert "exists" in capsys.readouterr().err and "ran" not in started


def test_replay_runs_headless_or_hands_the_session_to_the_app(started, tmp_path, capsys):
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"t": 0, "event": "start", "version": 1, "lab": "penalties"}\n'
        '{"t": 0.5, "event": "params", "lab": "penalties", "values": {"model": "ridge"}}\n'
    )
    assert main(["replay", str(path), "--headless"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert "penalties  model=ridge  ->  n_nonzero=20" in line and "ran" not in started
    assert main(["replay", str(path), "--speed", "4"]) == 0
    assert started["ran"] and started["start_lab"] == "penalties"
    assert started["replay"].speed == 4 and len(started["replay"].steps) == 2
    assert main(["replay", str(path), "--speed", "0"]) == 2
