"""The CLI contract: labs list, --help from the specs, exit 2 with one line on bad input."""

import json
import subprocess
import sys

import pytest

from reglab.cli import main


def test_labs_lists_every_registered_lab(capsys):
    from reglab.core.registry import LABS

    assert main(["labs"]) == 0
    out = capsys.readouterr().out
    for name in LABS:
        assert name in out


def test_run_help_lists_every_parameter_with_default_and_range(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "penalties", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for fragment in (
        "alpha",
        "default 1",
        "[1e-10, 1e+20]",
        "one of ridge, lasso, elasticnet",
        "l1_ratio",
        "standardize",
        "seed",
    ):
        assert fragment in out


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        (["alpha=-1"], "alpha: -1.0 is not allowed; expected a number in [1e-10, 1e+20]"),
        (["bogus=1"], "bogus: unknown parameter"),
        (["alpha"], "expected KEY=VALUE"),
        (["model=svm"], "model: 'svm' is not allowed"),
    ],
)
def test_bad_settings_exit_2_with_one_line(cli_error, settings, fragment):
    argv = ["run", "penalties"]
    for setting in settings:
        argv += ["--set", setting]
    code, err = cli_error(*argv)
    assert code == 2
    assert fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "target", "fragment"),
    [
        ("a,b,y\n" + "".join(f"{i},x{i},{i}\n" for i in range(12)), "y", "text feature column(s)"),
        (
            "a,b,y\n" + "".join(f"{i},{i if i != 3 else ''},{i}\n" for i in range(12)),
            "y",
            "missing or infinite",
        ),
        ("a,b,y\n" + "".join(f"{i},{i},{i}\n" for i in range(12)), "price", "no column 'price'"),
        ("a,b,y\n" + "".join(f"{i},{i},{i}\n" for i in range(5)), "y", "at least 10"),
        ("a,b,y\n" + "".join(f"{i},{i * 2},1\n" for i in range(12)), "y", "constant"),
        ("a,b,y,y\n" + "".join(f"{i},{i},{i},{i}\n" for i in range(12)), "y", "repeated column"),
        (
            "a,y\n" + "".join(f"{1e308 if i == 3 else i},{i}\n" for i in range(12)),
            "y",
            "beyond ±1e+150",
        ),
    ],
)
def test_csv_problems_are_one_clear_line(cli_error, tmp_path, content, target, fragment):
    path = tmp_path / "data.csv"
    path.write_text(content)
    code, err = cli_error(
        "run",
        "penalties",
        "--set",
        "dataset=csv",
        "--set",
        f"data={path}",
        "--set",
        f"target={target}",
    )
    assert code == 2
    assert fragment in err and "Traceback" not in err


def test_a_folder_given_as_data(cli_error, tmp_path):
    settings = ("dataset=csv", f"data={tmp_path}", "target=y")
    code, err = cli_error("run", "penalties", *(x for s in settings for x in ("--set", s)))
    assert code == 2 and "is a folder" in err


def test_more_folds_than_rows_is_refused_before_fitting(cli_error, tmp_path):
    path = tmp_path / "ten.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i * i % 7},{i * 3 % 5}\n" for i in range(10)))
    settings = ("dataset=csv", f"data={path}", "target=y", "folds=11")
    code, err = cli_error("run", "penalties", *(x for s in settings for x in ("--set", s)))
    assert code == 2
    assert err.strip() == "reglab: error: folds: 11 folds need at least 11 rows; the data has 10"


def test_an_internal_error_is_one_line_naming_the_log(cli_error, monkeypatch):
    from reglab.core.registry import LABS
    from reglab.errorlog import log_file

    def broken(self, params=None, progress=None, cancelled=None):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(type(LABS["overfitting"]), "run", broken)
    code, err = cli_error("run", "overfitting")
    assert code == 1
    assert err.strip().splitlines() == [
        f"reglab: internal error: ZeroDivisionError: a bug (traceback in {log_file()})"
    ]
    assert "ZeroDivisionError: a bug" in log_file().read_text()


def test_missing_csv_file(cli_error, tmp_path):
    code, err = cli_error(
        "run",
        "penalties",
        "--set",
        "dataset=csv",
        "--set",
        f"data={tmp_path / 'nope.csv'}",
        "--set",
        "target=y",
    )
    assert code == 2 and "no such file" in err


def test_valid_csv_runs(cli_json, tmp_path):
    rows = "".join(f"{i},{(i * 7) % 5},{2 * i + (i * 7) % 5}\n" for i in range(30))
    path = tmp_path / "data.csv"
    path.write_text("a,b,y\n" + rows)
    payload = cli_json("penalties", "dataset=csv", f"data={path}", "target=y", "alpha=0.01")
    assert payload["n_nonzero"] == 2 and payload["true_coef"] is None


def test_table_output_is_readable(capsys):
    assert main(["run", "overfitting", "--set", "degree=3"]) == 0
    out = capsys.readouterr().out
    assert "train_mse:" in out and "by_degree:" in out and "degree=3" in out


def test_installed_console_script_runs_as_a_subprocess():
    done = subprocess.run(
        [sys.executable, "-m", "reglab", "run", "penalties", "--set", "alpha=-1"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "reglab: error: alpha: -1.0 is not allowed; expected a number in [1e-10, 1e+20]"
    )


def test_a_closed_pipe_ends_quietly():
    process = subprocess.Popen(
        [sys.executable, "-m", "reglab", "run", "penalties", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.read(1)
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""


def test_data_alone_means_that_csv(cli_json, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i * i % 7},{i * 3 % 5}\n" for i in range(12)))
    payload = cli_json("penalties", f"data={path}", "target=y")
    assert payload["params"]["dataset"] == "csv"
    assert not any("no effect" in note for note in payload["notes"])


def test_a_setting_idle_because_of_a_default_is_named_in_the_notes(cli_json):
    payload = cli_json("classification", "l1_ratio=0.3", "folds=3")
    assert (
        "l1_ratio=0.3 has no effect with these settings (penalty=l2; set penalty=elasticnet "
        "for it)" in payload["notes"]
    )
    assert not any(note.startswith("folds") for note in payload["notes"])


@pytest.mark.parametrize(
    ("lab", "settings", "message"),
    [
        ("classification", ["penalty=none", "C=2"], "C: 2 has no effect with penalty=none"),
        (
            "bias-variance",
            ["mode=simulate", "dataset=csv"],
            "dataset: csv has no effect with mode=simulate; it needs mode=bootstrap",
        ),
        ("penalties", ["dataset=diabetes", "drop=id"], "it needs dataset=csv"),
    ],
)
def test_two_settings_that_contradict_exit_2_before_running(capsys, lab, settings, message):
    argv = ["run", lab]
    for setting in settings:
        argv += ["--set", setting]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err and len(captured.err.strip().splitlines()) == 1


def rows_text(sep: str, index: bool = False) -> str:
    head = ("" + sep if index else "") + sep.join(["a", "b", "y"])
    body = [
        (f"{i}{sep}" if index else "") + sep.join([str(i), str(i * i % 7), str(i * 3 % 5)])
        for i in range(12)
    ]
    return "\n".join([head, *body]) + "\n"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_the_separator_is_sniffed_and_a_pandas_index_dropped(cli_json, tmp_path, sep):
    plain, indexed = tmp_path / "plain.csv", tmp_path / "indexed.csv"
    plain.write_text(rows_text(","))
    indexed.write_text(rows_text(sep, index=True))
    reference = cli_json("penalties", f"data={plain}", "target=y")
    payload = cli_json("penalties", f"data={indexed}", "target=y")
    assert payload["feature_names"] == ["a", "b"]
    assert payload["coef"] == reference["coef"]


def test_a_continuous_target_is_refused_by_every_classification_lab(cli_error, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("a,b,price\n" + "".join(f"{i},{i % 5},{1000 + 37 * i}\n" for i in range(60)))
    for lab in ("classification", "trees", "dropout"):
        code, err = cli_error("run", lab, "--set", f"data={path}", "--set", "target=price")
        assert code == 2, lab
        assert "looks continuous" in err and "penalties or lambda" in err, err


def test_a_regression_lab_notes_a_0_1_target(cli_json, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i * 7 % 11},{i % 2}\n" for i in range(40)))
    notes = cli_json("penalties", f"data={path}", "target=y")["notes"]
    assert any("holds only 0 and 1" in note for note in notes)


def test_library_warnings_become_counted_notes_not_stderr_lines(capsys):
    assert main(["run", "overfitting", "--set", "alpha=1e-14", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    notes = json.loads(captured.out)["notes"]
    warned = [note for note in notes if note.startswith("LinAlgWarning")]
    assert len(warned) == 1 and warned[0].startswith("LinAlgWarning (18x): An ill-conditioned")
