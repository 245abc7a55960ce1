"""Bad CSVs in the app: it keeps running, keeps the last good result, and a notification
names the problem (four cases of the CLI matrix in tests/unit/test_bad_csv_matrix.py)."""

from __future__ import annotations

import pytest

from reglab.widgets.param_panel import ParamPanel
from tests.unit.test_bad_csv_matrix import CASES

from .helpers import ReglabApp, open_lab, settle

PROBLEMS = {
    "empty file": "cannot read",
    "NaN": "missing or infinite",
    "ragged rows": "Expected 3 fields",
    "a directory": "is a folder",
}


@pytest.mark.parametrize("case", list(PROBLEMS))
async def test_a_bad_csv_keeps_the_last_good_result(case, tmp_path):
    content, _ = CASES[case]
    path = tmp_path / "data.csv"
    if content == "<dir>":
        path = tmp_path
    else:
        path.write_text(str(content))
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "penalties")
        panel = pane.query_one(ParamPanel)
        panel.apply("target", "y")
        await settle(app, pilot)
        good = pane.result
        panel.apply("data", str(path))  # implies dataset=csv
        await settle(app, pilot)
        assert app.is_running
        assert pane.params.dataset == "csv"
        assert pane.result is good
        notices = [n.message for n in app._notifications]
        assert any(PROBLEMS[case] in notice for notice in notices), notices
