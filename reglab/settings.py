"""What the app keeps between sessions: each lab's last parameters, the active tab and the
theme, in ``settings.json`` in the user's config directory (platformdirs, so
``XDG_CONFIG_HOME`` is respected). ``reglab --reset`` starts without them.

The file is written atomically (a temp file, then a rename), so a crash mid-write leaves
the previous file. A lab's parameters are kept as the values that differ from its defaults,
and read back by the rules ``--set`` follows. Reading never fails: a file that is not JSON,
or of another version, gives the defaults and a notice, and is moved aside (``.bad``) rather
than overwritten by the next save; a lab whose saved values are no longer valid (a renamed
parameter, a removed choice) starts from its defaults, with a notice naming it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from reglab.core.errors import ReglabError
from reglab.core.files import write_text_atomic
from reglab.core.registry import LABS
from reglab.core.spec import LabParams, changed_values, params_from_json

VERSION = 1


def settings_file() -> Path:
    return Path(platformdirs.user_config_dir("reglab")) / "settings.json"


@dataclass
class Settings:
    theme: str | None = None
    lab: str | None = None  # the active tab
    params: dict[str, LabParams] = field(default_factory=dict)  # lab name -> its parameters


@dataclass
class Loaded:
    settings: Settings
    notices: list[str]  # one line each, for the user


def load(path: Path | None = None) -> Loaded:
    """The saved settings, or the defaults with a notice for what could not be used."""
    path = path or settings_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Loaded(Settings(), [])
    except (OSError, UnicodeDecodeError) as error:
        return Loaded(Settings(), [f"{path}: cannot read the saved settings ({error}); defaults"])
    try:
        saved = json.loads(text)
        if not isinstance(saved, dict) or saved.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} settings file")
        return _read(saved, path)
    except (ValueError, TypeError, AttributeError) as error:
        aside = _move_aside(path)
        kept = f"; kept as {aside}" if aside else ""
        return Loaded(Settings(), [f"{path}: saved settings unusable ({error}){kept}; defaults"])


def _read(saved: dict, path: Path) -> Loaded:
    notices = []
    settings = Settings(
        theme=saved.get("theme") if isinstance(saved.get("theme"), str) else None,
        lab=saved.get("lab") if saved.get("lab") in LABS else None,
    )
    for name, values in dict(saved.get("params", {})).items():
        if name not in LABS:
            notices.append(f"{path}: no lab {name!r} any more; its saved settings are ignored")
            continue
        try:
            settings.params[name] = params_from_json(LABS[name].params(), dict(values))
        except (ReglabError, TypeError, ValueError) as error:
            notices.append(f"{path}: {name} starts from its defaults ({error})")
    return Loaded(settings, notices)


def _move_aside(path: Path) -> Path | None:
    aside = path.with_name(path.name + ".bad")
    try:
        os.replace(path, aside)
    except OSError:
        return None
    return aside


def save(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically, replacing the previous file (it is ours)."""
    payload = {
        "version": VERSION,
        "theme": settings.theme,
        "lab": settings.lab,
        "params": {name: changed_values(p) for name, p in settings.params.items()},
    }
    text = json.dumps(payload, indent=2, allow_nan=False) + "\n"
    return write_text_atomic(path or settings_file(), text, force=True)
