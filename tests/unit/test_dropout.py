"""Lab 5 — dropout: determinism, the dropout gap, early stopping, live controls, the CLI.

The default run early-stops after ~20 epochs (well under a second once torch is warm), so
these tests use the real default data, seed and epochs throughout.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import torch

from reglab.cli import main
from reglab.core.dropout import compute as dropout
from reglab.core.dropout.params import DropoutParams
from reglab.core.errors import Cancelled, DataError, ParamError

SPEC_KEYS = {
    "lab",
    "params",
    "history",
    "best_epoch",
    "stopped_epoch",
    "early_stopped",
    "test_accuracy",
    "device",
}
HISTORY_KEYS = {"epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy"}


@pytest.fixture(scope="module")
def default_run() -> dropout.DropoutResult:
    return dropout.run(DropoutParams())


def final_gap(result: dropout.DropoutResult) -> float:
    last = result.history[-1]
    return last.val_loss - last.train_loss


def test_same_params_and_seed_give_identical_history(default_run):
    again = dropout.run(DropoutParams())
    assert again.history == default_run.history  # exact floats, not approximately
    assert again.to_json() == default_run.to_json()


def test_another_seed_gives_another_history(default_run):
    other = dropout.run(DropoutParams(seed=7, max_epochs=3))
    assert other.history != default_run.history[:3]


def test_dropout_closes_the_train_validation_gap_on_the_default_data():
    no_dropout = dropout.run(DropoutParams(dropout=0.0))
    half = dropout.run(DropoutParams(dropout=0.5))
    # Measured: gap 1.70 (p = 0, stops at epoch 17) against 0.96 (p = 0.5, epoch 29).
    assert final_gap(no_dropout) > final_gap(half) + 0.3
    assert no_dropout.history[-1].train_loss < half.history[-1].train_loss


def test_patience_stops_early_and_restores_the_best_weights():
    params = DropoutParams(patience=5)
    result = dropout.run(params)
    assert result.early_stopped
    assert result.stopped_epoch < params.max_epochs
    assert result.best_epoch == result.stopped_epoch - params.patience
    assert len(result.history) == result.stopped_epoch
    val_losses = [row.val_loss for row in result.history]
    assert result.best_val_loss == min(val_losses) == val_losses[result.best_epoch - 1]
    # Training exactly best_epoch epochs replays the same history, so its final weights are
    # the best weights: the restored model must score the test set exactly like it.
    replay = dropout.run(replace(params, patience=0, max_epochs=result.best_epoch))
    assert replay.history == result.history[: result.best_epoch]
    assert replay.test_loss == result.test_loss
    assert replay.test_accuracy == result.test_accuracy


def test_patience_zero_trains_every_epoch():
    result = dropout.run(DropoutParams(patience=0, max_epochs=4))
    assert not result.early_stopped
    assert result.stopped_epoch == 4 == len(result.history)


def test_json_has_every_spec_key(default_run):
    payload = default_run.to_json()
    assert SPEC_KEYS <= payload.keys()
    assert payload["lab"] == "dropout"
    assert payload["params"] == {
        **payload["params"],
        "dropout": 0.3,
        "patience": 10,
        "device": "auto",
        "seed": 42,
    }
    assert all(row.keys() == HISTORY_KEYS for row in payload["history"])
    assert [row["epoch"] for row in payload["history"]] == list(
        range(1, 1 + len(payload["history"]))
    )
    assert payload["device"] == ("cuda" if torch.cuda.is_available() else "cpu")
    assert isinstance(payload["early_stopped"], bool)
    assert 0 <= payload["test_accuracy"] <= 1
    assert payload["data"] == {
        "name": "synthetic",
        "n_train": 900,
        "n_val": 300,
        "n_test": 300,
        "n_features": 100,
        "n_classes": 10,
    }
    json.dumps(payload, allow_nan=False)


def test_cli_json(capsys):
    assert main(["run", "dropout", "--set", "max_epochs=2", "--set", "device=cpu", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert SPEC_KEYS <= payload.keys()
    assert payload["device"] == "cpu"
    assert payload["stopped_epoch"] == 2


@pytest.mark.parametrize(
    ("setting", "names"),
    [
        ("dropout=0.95", "dropout"),
        ("patience=-1", "patience"),
        ("optimizer=sgd", "optimizer"),
        ("momentum=0.9", "momentum"),
        ("dataset=csv", "data"),
        ("lr=abc", "lr"),
    ],
)
def test_cli_errors_exit_2_with_one_line(capsys, setting, names):
    assert main(["run", "dropout", "--set", setting, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and names in lines[0]


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_without_a_gpu_is_a_clear_error(capsys):
    with pytest.raises(ParamError, match="cuda is not available"):
        dropout.run(DropoutParams(device="cuda"))
    assert main(["run", "dropout", "--set", "device=cuda"]) == 2
    assert "device: cuda is not available" in capsys.readouterr().err


def test_csv_and_digits(tmp_path):
    digits = dropout.run(DropoutParams(dataset="digits", max_epochs=2))
    assert digits.data["n_features"] == 64 and digits.data["n_classes"] == 10
    rows = ["a,b,label"] + [f"{i % 7},{(i * 3) % 5},{i % 2}" for i in range(40)]
    path = tmp_path / "small.csv"
    path.write_text("\n".join(rows) + "\n")
    result = dropout.run(DropoutParams(dataset="csv", data=str(path), target="label", max_epochs=2))
    assert result.data["n_classes"] == 2 and result.data["n_train"] == 24
    rare = tmp_path / "rare.csv"
    rare.write_text("\n".join(rows + ["1,1,2"]) + "\n")
    with pytest.raises(DataError, match="stratified"):
        dropout.run(DropoutParams(dataset="csv", data=str(rare), target="label"))


def test_progress_streams_a_snapshot_per_epoch():
    snapshots = []
    result = dropout.run(
        DropoutParams(max_epochs=5, patience=0), progress=lambda p: snapshots.append(p)
    )
    assert [p.partial.epoch for p in snapshots] == [1, 2, 3, 4, 5]
    assert [p.fraction for p in snapshots] == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert snapshots[2].partial.history == tuple(result.history[:3])
    assert snapshots[-1].partial.best_epoch == result.best_epoch


def test_controls_change_regularization_mid_run():
    params = DropoutParams(max_epochs=5, patience=0)
    plain = dropout.run(params)
    controls = dropout.TrainingControls.from_params(params)

    def turn_knobs(progress):
        if progress.partial.epoch == 2:
            controls.set(weight_decay=0.05)
            controls.step("l1", +1)  # from 0 to the knob's floor
        if progress.partial.epoch == 3:
            controls.step("optimizer", +1)

    steered = dropout.run(params, progress=turn_knobs, controls=controls)
    assert steered.history[:2] == plain.history[:2]
    assert steered.history[2] != plain.history[2]
    changes = [(c.epoch, c.name, c.old, c.new) for c in steered.regularization_changes]
    assert changes == [
        (3, "weight_decay", 0.0, 0.05),
        (3, "l1", 0.0, 1e-7),
        (4, "optimizer", "adam", "adamw"),
    ]
    assert steered.final_regularization == {"weight_decay": 0.05, "l1": 1e-7, "optimizer": "adamw"}
    assert steered.to_json()["regularization_changes"][0] == {
        "epoch": 3,
        "name": "weight_decay",
        "old": 0.0,
        "new": 0.05,
    }


def test_controls_reject_bad_values():
    controls = dropout.TrainingControls()
    with pytest.raises(ParamError, match="weight_decay"):
        controls.set(weight_decay=5.0)
    with pytest.raises(ParamError, match="dropout"):
        controls.set(dropout=0.1)
    assert controls.values() == {"weight_decay": 0.0, "l1": 0.0, "optimizer": "adam"}


def test_stop_request_finishes_with_best_weights():
    controls = dropout.TrainingControls()

    def stop_after_three(progress):
        if progress.partial.epoch == 3:
            controls.request_stop()

    result = dropout.run(DropoutParams(), progress=stop_after_three, controls=controls)
    assert result.stopped_by_user and not result.early_stopped
    assert result.stopped_epoch == 3
    assert 0 <= result.test_accuracy <= 1


def test_cancel_stops_inside_an_epoch():
    polls = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) > 20  # an epoch has 15 batches: this cancels mid epoch 2

    with pytest.raises(Cancelled):
        dropout.run(DropoutParams(), cancelled=cancelled)
    assert len(polls) == 21


def test_compare_matches_two_separate_runs():
    params = DropoutParams(max_epochs=4, augment_noise=0.05)
    partials = []
    comparison = dropout.run_compare(params, progress=lambda p: partials.append(p.partial))
    assert comparison.chosen.history == dropout.run(params).history
    assert comparison.baseline.history == dropout.run(replace(params, dropout=0.0)).history
    assert comparison.baseline.params.dropout == 0.0
    assert len(partials) == 8
    assert (partials[-1].baseline.epoch, partials[-1].chosen.epoch) == (4, 4)
    assert comparison.to_json()["chosen"]["history"][0]["epoch"] == 1


def test_caller_state_is_left_alone():
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    dropout.run(DropoutParams(max_epochs=1))
    assert torch.equal(torch.rand(3), expected)
    assert torch.get_num_threads() == threads
