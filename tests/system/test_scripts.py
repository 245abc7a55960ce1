"""``reglab script LAB``: for every lab at its defaults (fewer epochs and rounds for dropout
and bias-variance), the generated script runs without reglab and prints the key numbers
``reglab run LAB --json`` gives, to 1e-9 (relative). Plus writing it to a file, never over
one, and the refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from reglab.cli import main
from reglab.core.registry import LABS

# The seven labs of the SPEC; production (the eighth) refuses, tested below.
SETTINGS = {
    "overfitting": [],
    "penalties": [],
    "classification": [],
    "trees": [],
    "dropout": ["max_epochs=5"],
    "lambda": [],
    "bias-variance": ["rounds=20"],
}
EXTRA = {  # other paths through the templates
    "penalties": ["model=elasticnet", "standardize=true", "dataset=diabetes"],
    "lambda": ["model=ridge"],
    "bias-variance": ["mode=bootstrap", "model=tree", "rounds=10"],
    "trees": ["model=boosting", "n_estimators=20"],
    "classification": ["penalty=none", "dataset=wine"],
}
CASES = [*SETTINGS.items(), *EXTRA.items()]


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("lab", "settings"), CASES, ids=[" ".join([lab, *s]) for lab, s in CASES])
def test_the_script_reproduces_reglab_run(lab, settings, tmp_path, capsys):
    sets = [arg for s in settings for arg in ("--set", s)]
    code, text, _ = cli(capsys, "script", lab, *sets)
    assert code == 0
    assert "import reglab" not in text and "from reglab" not in text
    script = tmp_path / "result.py"
    # reglab is installed in this environment: make importing it fail, to prove it unused.
    script.write_text("import sys\n\nsys.modules['reglab'] = None\n" + text)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-I", str(script)],  # isolated: no cwd, no user site, no reglab path
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    printed = json.loads(done.stdout)
    code, out, _ = cli(capsys, "run", lab, *sets, "--json")
    expected = LABS[lab].key_values(json.loads(out))
    assert printed.keys() == expected.keys()
    for key, value in expected.items():
        assert printed[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_writing_a_file_never_replaces_one_without_force(tmp_path, capsys):
    out = tmp_path / "overfit.py"
    assert cli(capsys, "script", "overfitting", "-o", str(out))[0] == 0
    first = out.read_text()
    out.write_text("mine")
    code, _, err = cli(capsys, "script", "overfitting", "--set", "degree=3", "-o", str(out))
    assert code == 2 and "--force" in err and out.read_text() == "mine"
    assert (
        cli(capsys, "script", "overfitting", "--set", "degree=3", "-o", str(out), "--force")[0] == 0
    )
    assert out.read_text() != first and "PolynomialFeatures(3)" in out.read_text()


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["script", "penalties", "--set", "alpha=-1"], "alpha"),
        (["script", "classification", "--set", "penalty=l1"], "solver=saga"),
        (["script", "lambda", "--set", "model=logistic"], "Newton"),
        (["script", "production"], "no standalone script"),
    ],
)
def test_bad_settings_and_refusals_are_one_line(capsys, argv, fragment):
    code, _, err = cli(capsys, *argv)
    assert code == 2 and fragment in err and err.count("\n") == 1
