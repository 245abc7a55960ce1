"""Bad input, every lab that reads a CSV, through the CLI: each case exits 2 with one line,
or runs (exit 0) with a note where it sensibly can, and never prints a traceback."""

from __future__ import annotations

import pytest

from reglab.cli import main

# Each lab's extra settings for a quick run, and whether it wants class labels.
LABS = {
    "penalties": ((), "regression"),
    "lambda": (("folds=3",), "regression"),
    "bias-variance": (("mode=bootstrap", "rounds=3", "model=ridge"), "regression"),
    "classification": (("folds=3",), "classification"),
    "trees": (("folds=3", "model=tree"), "classification"),
    "dropout": (("max_epochs=2",), "classification"),
}


def table(rows: int, target=lambda i: i % 2, sep: str = ",") -> str:
    lines = [sep.join(["a", "b", "y"])]
    lines += [sep.join([str(i), str(i * 7 % 11), str(target(i))]) for i in range(rows)]
    return "\n".join(lines) + "\n"


GOOD = table(40)
CASES: dict[str, tuple[str | bytes | None, str]] = {
    # name: (file content, or None for no file; b"" bytes written raw), expected outcome
    "empty file": ("", "error"),
    "header only": ("a,b,y\n", "error"),
    "1 row": (table(1), "error"),
    "5 rows": (table(5), "error"),
    "NaN": (GOOD.replace("\n3,", "\nnan,", 1), "error"),
    "inf": (GOOD.replace("\n3,", "\ninf,", 1), "error"),
    "text cells": (GOOD.replace("\n3,", "\nthree,", 1), "error"),
    "mixed types": (GOOD.replace(",7,", ",seven,", 1), "error"),
    "constant target": (table(40, target=lambda i: 1), "error"),
    "duplicate names": (GOOD.replace("a,b,y", "a,a,y", 1), "error"),
    "duplicated target": (GOOD.replace("a,b,y", "a,y,y", 1), "error"),
    "huge values": (GOOD.replace("\n3,", "\n1e308,", 1), "error"),
    "ragged rows": (GOOD.replace("\n3,", "\n3,4,5,6,", 1), "error"),
    "missing target column": (GOOD.replace("a,b,y", "a,b,z", 1), "error"),
    "non-UTF-8 bytes": (GOOD.encode().replace(b"a,b,y", b"a,\xff\xfe,y", 1), "error"),
    "a directory": ("<dir>", "error"),
    "a missing path": (None, "error"),
    "semicolons": (table(40, sep=";"), "ok"),
    "continuous target": (table(40, target=lambda i: round(1000 + 1.37 * i, 2)), "kind"),
}


def run(capsys, lab: str, path: str, *extra: str) -> tuple[int, str]:
    settings, _ = LABS[lab]
    argv = ["run", lab, "--set", f"data={path}", "--set", "target=y"]
    for setting in (*settings, *extra):
        argv += ["--set", setting]
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("lab", list(LABS))
def test_bad_csv(lab, case, tmp_path, capsys):
    content, expected = CASES[case]
    path = tmp_path / "data.csv"
    if content == "<dir>":
        path = tmp_path
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, err = run(capsys, lab, str(path))
    assert "Traceback" not in err
    if expected == "kind":  # fine for regression, refused with the labs named otherwise
        expected = "ok" if LABS[lab][1] == "regression" else "error"
        assert expected == "ok" or "looks continuous" in err
    if expected == "error":
        assert code == 2, err
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith("reglab: error: ")
    else:
        assert code == 0, err


@pytest.mark.parametrize("lab", ["penalties", "lambda", "classification", "trees"])
def test_more_folds_than_rows(lab, tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text(table(12))
    code, err = run(capsys, lab, str(path), "folds=13")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "folds" in err, err


def test_a_home_folder_of_no_such_user_is_a_missing_file(capsys):
    code, err = run(capsys, "penalties", "~no_such_user_reglab/data.csv")
    assert code == 2 and err.startswith("reglab: error: data: no such file"), err


@pytest.mark.parametrize("lab", list(LABS))
def test_a_drop_naming_no_column_is_one_line(lab, tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text(GOOD)
    code, err = run(capsys, lab, str(path), "drop=rooms")
    assert code == 2 and "drop: no column 'rooms'" in err and len(err.splitlines()) == 1, err
