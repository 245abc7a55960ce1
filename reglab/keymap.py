"""The user's keymap file: binding ids to keys, as Posting's ``keymap`` does.

``keymap.toml`` in the user config directory, for example::

    [keymap]
    "app.cancel" = "ctrl+x"
    "classification.toggle-grid" = "G"

Every ``Binding`` in reglab has an ``id`` (shown on the ``?`` screen); the footer, the ``?``
screen and the palette show the keys in force. A broken file is reported in one line and
the default keys stay.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

KEYMAP_FILE = Path(platformdirs.user_config_dir("reglab")) / "keymap.toml"


class KeymapError(Exception):
    """The keymap file cannot be used; the message is one line for the user."""


def read_keymap(path: Path | None) -> dict[str, str]:
    """The ``[keymap]`` table of ``path`` (nothing if there is no such file)."""
    if path is None or not path.is_file():
        return {}
    import tomllib  # only when there is a file: most starts have none

    try:
        table = tomllib.loads(path.read_text()).get("keymap", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise KeymapError(f"{path}: cannot read the keymap ({error})") from None
    if not isinstance(table, dict):
        raise KeymapError(f'{path}: [keymap] must be a table of binding id = "keys"')
    bad = [name for name, keys in table.items() if not isinstance(keys, str) or not keys]
    if bad:
        raise KeymapError(f'{path}: keys must be text such as "ctrl+x" (see {", ".join(bad)})')
    return dict(table)
