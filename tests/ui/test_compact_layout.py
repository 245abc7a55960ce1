"""At 80x24 a lab shows one chart at a time, tall enough to read; n cycles them, the
explanation waits behind ?, and long numbers are cut to four significant digits."""

from __future__ import annotations

from reglab.screens.help import HelpScreen
from reglab.widgets.chart import Chart
from reglab.widgets.metrics import shorten
from tests.ui.helpers import ReglabApp, settle


def heights(pane) -> dict[str, int]:
    return {chart.id: chart.size.height for chart in pane.query(Chart)}


async def test_a_small_terminal_shows_one_tall_chart_and_n_cycles():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        switcher = pane.query_one(".chart-switcher")
        assert heights(pane)["degree-chart"] == 0 and heights(pane)["fit-chart"] >= 15
        assert switcher.display and "chart 1/2" in str(switcher.render())
        assert not pane.query_one(".explanation").display
        await pilot.press("n")
        await settle(app, pilot)
        assert heights(pane)["fit-chart"] == 0 and heights(pane)["degree-chart"] >= 15
        assert "chart 2/2" in str(switcher.render())
        await pilot.press("n")
        await pilot.pause()
        assert heights(pane)["degree-chart"] == 0
        await pilot.press("question_mark")  # the explanation is one key away
        assert isinstance(app.screen, HelpScreen)
        assert "chases the noise" in str(
            app.screen.query_one("#help").query("Static").first().render()
        )


async def test_a_large_terminal_shows_every_chart_and_no_switcher():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane
        assert all(height >= 12 for height in heights(pane).values())
        assert not pane.query_one(".chart-switcher").display
        await pilot.press("n")  # nothing to cycle
        await pilot.pause()
        assert all(height >= 12 for height in heights(pane).values())
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert sorted(heights(pane).values())[0] == 0  # and compact once it is small


def test_long_numbers_are_cut_to_four_significant_digits():
    assert shorten("0.00012345678") == "0.0001235"
    assert shorten("12345.678") == "1.235e+04"
    assert shorten("0.9765") == "0.9765"  # short enough already
    assert shorten("97.98 ± 9.4") == "97.98 ± 9.4"  # not a number: as it is
