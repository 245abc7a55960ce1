"""CSV loading options: ``drop=`` leaves columns out, ``encode=onehot`` encodes text columns."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reglab.cli import main
from reglab.core.datasets import DataKey, column_list, load, load_csv
from reglab.core.errors import DataError


@pytest.fixture
def houses(tmp_path):
    """Rows with an id column, a text column and a numeric feature; price depends on both."""
    rng = np.random.RandomState(0)
    rows = 60
    colour = np.array(["red", "green", "blue"])[np.arange(rows) % 3]
    sqft = rng.uniform(500, 3000, rows).round()
    price = 100 * sqft + np.select([colour == "red", colour == "green"], [5e4, 2e4], 0)
    frame = pd.DataFrame(
        {"id": [f"h{i}" for i in range(rows)], "colour": colour, "sqft": sqft, "price": price}
    )
    path = tmp_path / "houses.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_column_list_strips_and_drops_repeats():
    assert column_list(" id, name ,,id") == ("id", "name")
    assert column_list("") == ()


def test_text_columns_are_refused_by_default_naming_both_ways_out(houses):
    path, _ = houses
    with pytest.raises(DataError) as error:
        load_csv(str(path), "price", "regression")
    message = str(error.value)
    assert "id, colour" in message
    assert "encode=onehot" in message and "drop=id,colour" in message


def test_onehot_equals_pandas_get_dummies_on_the_kept_columns(houses):
    path, frame = houses
    data = load_csv(str(path), "price", "regression", drop=("id",), encode="onehot")
    expected = pd.get_dummies(
        frame.drop(columns=["id", "price"]), columns=["colour"], prefix_sep="=", dtype=float
    )
    np.testing.assert_array_equal(data.X, expected.to_numpy())
    assert data.feature_names == ("sqft", "colour=blue", "colour=green", "colour=red")


def test_an_id_like_text_column_is_refused_even_with_onehot(houses):
    path, _ = houses
    with pytest.raises(DataError, match=r"'id' .* 60 distinct values .*drop=id"):
        load_csv(str(path), "price", "regression", encode="onehot")


def test_drop_leaves_the_column_out(houses):
    path, _ = houses
    data = load_csv(str(path), "price", "regression", drop=("id", "colour"))
    assert data.feature_names == ("sqft",)


@pytest.mark.parametrize(
    ("drop", "message"),
    [(("rooms",), "drop: no column 'rooms'"), (("price",), "'price' is the target")],
)
def test_drop_names_a_real_feature_column(houses, drop, message):
    path, _ = houses
    with pytest.raises(DataError, match=message):
        load_csv(str(path), "price", "regression", drop=drop)


def test_the_options_are_part_of_the_cache_key(houses):
    path, _ = houses
    base = DataKey("regression", "csv", str(path), "price", drop=("id", "colour"))
    encoded = DataKey("regression", "csv", str(path), "price", drop=("id",), encode="onehot")
    assert load(base).X.shape[1] == 1
    assert load(encoded).X.shape[1] == 4


def test_cli_runs_penalties_on_the_encoded_csv(houses, capsys):
    path, _ = houses
    argv = ["run", "penalties", "--set", f"data={path}", "--set", "target=price"]
    code = main([*argv, "--set", "drop=id", "--set", "encode=onehot", "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["feature_names"] == ["sqft", "colour=blue", "colour=green", "colour=red"]
    assert payload["params"]["drop"] == "id"
