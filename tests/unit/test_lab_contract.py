"""One contract every registered lab keeps, in the spirit of scikit-learn's estimator_checks.

Parametrized over the registry: a lab added there is checked here without a line written.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from reglab.cli import main
from reglab.core.registry import LABS, Lab
from reglab.core.spec import TEXT, specs

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "__snapshots__"
LAB_NAMES = list(LABS)


def documented_keys(lab: str) -> set[str]:
    """The top-level JSON keys docs/labs.md lists for ``lab`` (nested ones, and those named in
    a parenthesised remark, are left out)."""
    text = (ROOT / "docs" / "labs.md").read_text()
    section = re.search(rf"^## \d+\. {re.escape(lab)} —.*?^JSON: (.*?)$", text, re.S | re.M)
    assert section, f"docs/labs.md has no section with a JSON line for {lab}"
    line, depth, top = section.group(1), 0, ""
    for char in line:  # drop everything inside {...}, [...] and (...)
        depth += char in "{[("
        top += char if depth == 0 else ""
        depth -= char in "}])"
    keys = set(re.findall(r"`(\w+)`", top))
    assert keys, f"docs/labs.md lists no JSON keys for {lab}"
    return keys


@cache
def default_json(lab: str) -> dict:
    """The lab's default run through the CLI, once per test session."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", lab, "--json"]) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_the_registry_names_the_lab_its_params_class_names(lab):
    assert LABS[lab].params.lab == lab


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_defaults_run_and_carry_the_documented_keys(lab):
    payload = default_json(lab)
    assert payload["lab"] == lab
    missing = documented_keys(lab) - set(payload)
    assert not missing, f"{lab} JSON lacks documented keys {sorted(missing)}"
    assert isinstance(payload["notes"], list)


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_key_numbers_are_numbers_of_the_result(lab):
    # What pins, replays and scripts show: at least two, each a number in the JSON.
    values = LABS[lab].key_values(default_json(lab))
    assert len(values) >= 2
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in values.values())


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_json_survives_a_round_trip(lab):
    payload = default_json(lab)
    assert json.loads(json.dumps(payload, allow_nan=False)) == payload


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_params_lists_every_effective_parameter(lab):
    registered: Lab = LABS[lab]
    assert list(default_json(lab)["params"]) == list(specs(registered.params))


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_a_bad_value_exits_2_with_one_line(lab, capsys):
    name, _ = next((n, s) for n, s in specs(LABS[lab].params).items() if s.kind != TEXT)
    for setting in (f"{name}=not-a-value", "no_such_parameter=1"):
        assert main(["run", lab, "--set", setting]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("reglab: error: ") and "\n" not in err
        assert setting.partition("=")[0] in err


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_help_lists_every_parameter(lab, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", lab, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for name, spec in specs(LABS[lab].params).items():
        assert re.search(rf"^  {re.escape(name)} +default ", out, re.M), name
        assert spec.allowed() in out


@pytest.mark.parametrize("lab", LAB_NAMES)
@pytest.mark.parametrize("size", ["120x40", "80x24"])
def test_a_snapshot_baseline_exists(lab, size):
    # tests/snapshots/test_lab_defaults.py takes it for every registered lab.
    baseline = SNAPSHOTS / "test_lab_defaults" / f"test_lab_default[{lab}-{size}].svg"
    assert baseline.is_file(), f"no {size} snapshot baseline of {lab}: {baseline}"
