"""Saved settings (reglab.settings): a round trip, the config directory the user's
environment names, and every way a file can be unusable — defaults and a notice, never a
crash, and the bad file kept aside rather than overwritten."""

from __future__ import annotations

import json

import pytest

from reglab import settings
from reglab.core.registry import LABS
from reglab.core.spec import with_values


def penalties(**values):
    return with_values(LABS["penalties"].params(), values)


def test_round_trip_keeps_theme_tab_and_each_labs_changed_values(tmp_path):
    path = tmp_path / "settings.json"
    saved = settings.Settings(
        theme="nord",
        lab="penalties",
        params={
            "penalties": penalties(model="ridge", alpha=0.1234567),
            "bias-variance": with_values(
                LABS["bias-variance"].params(), {"model": "tree", "values": "1,3,none"}
            ),
        },
    )
    settings.save(saved, path)
    on_disk = json.loads(path.read_text())
    assert on_disk["params"]["penalties"] == {"model": "ridge", "alpha": 0.1234567}  # changes only
    loaded = settings.load(path)
    assert loaded.notices == []
    assert loaded.settings == saved
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temp file left


def test_the_file_lives_where_xdg_config_home_says(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert settings.settings_file() == tmp_path / "reglab" / "settings.json"
    settings.save(settings.Settings(theme="nord"))
    assert settings.load().settings.theme == "nord"


def test_no_file_is_the_defaults_without_a_notice(tmp_path):
    assert settings.load(tmp_path / "none.json") == settings.Loaded(settings.Settings(), [])


@pytest.mark.parametrize(
    "text",
    ["{not json", "[1, 2]", '{"version": 0, "theme": "nord"}', '{"version": 1, "params": [1]}'],
    ids=["not json", "not an object", "another version", "params not an object"],
)
def test_an_unusable_file_gives_defaults_a_notice_and_is_kept_aside(tmp_path, text):
    path = tmp_path / "settings.json"
    path.write_text(text)
    loaded = settings.load(path)
    assert loaded.settings == settings.Settings()
    (notice,) = loaded.notices
    assert str(path) in notice and "defaults" in notice and "\n" not in notice
    assert (tmp_path / "settings.json.bad").read_text() == text
    settings.save(settings.Settings(theme="nord"), path)  # the next save loses nothing
    assert (tmp_path / "settings.json.bad").read_text() == text


def test_a_lab_with_bad_values_starts_from_defaults_and_the_others_keep_theirs(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "lab": "no-such-lab",
                "params": {
                    "penalties": {"alpha": "lots"},
                    "overfitting": {"degree": 3},
                    "gone": {"x": 1},
                },
            }
        )
    )
    loaded = settings.load(path)
    assert loaded.settings.lab is None
    assert set(loaded.settings.params) == {"overfitting"}
    assert loaded.settings.params["overfitting"].degree == 3
    assert len(loaded.notices) == 2
    assert any("penalties starts from its defaults" in n and "alpha" in n for n in loaded.notices)
    assert any("'gone'" in n for n in loaded.notices)
