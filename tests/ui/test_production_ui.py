"""The production tab by keyboard: c, w, k, d show one view each, v cycles, m changes the
stability strip's model, and leak=true raises the leakage flag."""

from __future__ import annotations

from reglab.widgets.strip import SelectionStrip
from tests.ui.helpers import ReglabApp, focused_row, metric_text, open_lab, settle

VIEW_KEYS = {"c": "cv", "w": "stability", "k": "leakage", "d": "drift"}


def shown_view(pane) -> str:
    shown = [view for view in pane.query(".view") if view.display]
    assert len(shown) == 1, f"{len(shown)} views shown at once"
    return shown[0].id.removeprefix("view-")


async def test_each_key_shows_its_view_and_v_cycles_them():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "production")
        assert shown_view(pane) == "cv" and "tss α.min" in metric_text(app)
        for key, view in VIEW_KEYS.items():
            await pilot.press(key)
            await pilot.pause()
            assert shown_view(pane) == view
        drift_numbers = metric_text(app)
        assert "PSI ≥ 0.25" in drift_numbers
        diagnosis = str(pane.query_one("#diagnosis").render())
        assert "the world moved" in diagnosis
        await pilot.press("v")  # drift -> cv, then on round the cycle
        await pilot.pause()
        assert shown_view(pane) == "cv"
        await pilot.press("v", "v")
        await pilot.pause()
        assert shown_view(pane) == "leakage" and "suspect leakage no" in metric_text(app)


async def test_m_switches_the_stability_strip_between_models():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "production")
        await pilot.press("w")
        await pilot.pause()
        strip = pane.query_one(SelectionStrip)
        assert str(strip.render()).startswith("lasso: features kept")
        assert "Jaccard lasso" in metric_text(app)
        await pilot.press("m")
        await pilot.pause()
        assert str(strip.render()).startswith("elasticnet: features kept")
        await pilot.press("m")
        await pilot.pause()
        assert str(strip.render()).startswith("ridge: features kept")


async def test_leak_true_raises_the_leakage_flag():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_lab(app, pilot, "production")
        await pilot.press("k")
        await pilot.pause()
        assert "suspect leakage no" in metric_text(app)
        pane.focus_controls()
        await pilot.press(*["down"] * 5)
        assert focused_row(app).param_name == "leak"
        await pilot.press("space")
        await settle(app, pilot)
        assert pane.params.leak and shown_view(pane) == "leakage"
        numbers = metric_text(app)
        assert "suspect leakage YES" in numbers and "top feature leak_lookahead" in numbers
