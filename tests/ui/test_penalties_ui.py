"""The penalties tab by keyboard."""

from __future__ import annotations

import pytest

from tests.ui.helpers import ReglabApp, focused_row, metric_text, settle


async def test_penalties_model_choice_cycles_and_lasso_zeroes_coefficients():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        assert pane.lab.name == "penalties" and pane.result.n_nonzero < 20
        await pilot.press("left")  # lasso -> ridge
        await settle(app, pilot)
        assert pane.params.model == "ridge" and pane.result.n_nonzero == 20
        assert "20 / 20" in metric_text(app)


async def test_alpha_arrows_step_within_the_datas_range_up_to_alpha_max():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        low, high = pane.result.ranges["alpha"]
        await pilot.press("down")  # model -> alpha
        row = focused_row(app)
        assert row.param_name == "alpha" and row.span == (low, high)
        assert "for these data" in str(row.tooltip)
        for _ in range(4):  # four big steps: 1 -> 1e4 without the range
            await pilot.press("shift+right")
            await settle(app, pilot)
        # Stopped at alpha_max, where the lasso has just zeroed every coefficient.
        assert pane.params.alpha == float(f"{high:.6g}") and high < 1e4
        assert pane.result.n_nonzero == 0 and pane.result.notes == ()
        assert "0 / 20" in metric_text(app)


async def test_v_shows_the_geometry_and_alpha_moves_its_solution():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.current_pane
        coef_chart, geometry_chart = (
            pane.query_one("#coef-chart"),
            pane.query_one("#geometry-chart"),
        )
        assert coef_chart.display and not geometry_chart.display
        await pilot.press("v")
        await settle(app, pilot)  # the plane is computed once its chart shows
        assert geometry_chart.display and not coef_chart.display
        assert geometry_chart.size.height > 10
        assert "x2 × x8" in geometry_chart.chart_title
        before = pane.result.geometry["solution"]
        await pilot.press("down")  # model -> alpha
        assert focused_row(app).param_name == "alpha"
        await pilot.press("shift+right")  # a decade stronger: 1 -> 10
        await settle(app, pilot)
        assert pane.params.alpha == 10 and geometry_chart.display
        after = pane.result.geometry["solution"]
        # Stronger L1: the pair moves towards the origin, on a smaller diamond.
        assert abs(after[0]) + abs(after[1]) < abs(before[0]) + abs(before[1])
        await pilot.press("v")
        await pilot.pause()
        assert coef_chart.display and not geometry_chart.display


class RecordingPlot:
    """Stands in for plotext: keeps the lines and the limits the geometry chart asks for."""

    def __init__(self) -> None:
        self.lines: list[tuple[list[float], list[float]]] = []
        self.limits: dict[str, tuple[float, float]] = {}

    def plot(self, xs, ys, **_) -> None:
        self.lines.append((list(xs), list(ys)))

    def xlim(self, low, high) -> None:
        self.limits["x"] = (low, high)

    def ylim(self, low, high) -> None:
        self.limits["y"] = (low, high)

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def test_geometry_of_two_identical_features_draws_only_inside_the_view(tmp_path):
    # Identical columns make the loss flat along w_i + w_j = const: the ellipses' long axis
    # is unbounded. plotext fills in every dot of a line, so the chart must clip them (an
    # unclipped ellipse hung the UI thread).
    from textual.geometry import Size

    from reglab.core.penalties.compute import run
    from reglab.core.penalties.params import PenaltiesParams
    from reglab.labs.penalties import draw_geometry

    rows = [f"{i},{i},{i % 7},{2 * i + i % 3}" for i in range(1, 41)]
    csv = tmp_path / "twins.csv"
    csv.write_text("a,b,c,y\n" + "\n".join(rows) + "\n")
    params = PenaltiesParams(
        dataset="csv", data=str(csv), target="y", alpha=1e-3, geometry_features="0,1"
    )
    result = run(params)
    (a, b), (_, d) = result.geometry["contours"]["hessian"]
    assert a * d - b * b == pytest.approx(0, abs=1e-9 * a * d)  # singular: a flat direction
    plt = RecordingPlot()
    draw_geometry(plt, result, Size(100, 20))
    (x_low, x_high), (y_low, y_high) = plt.limits["x"], plt.limits["y"]
    assert len(plt.lines) >= 3  # ellipse pieces, the diamond, the path
    slack = 1e-9 * (x_high - x_low + y_high - y_low)
    for xs, ys in plt.lines:
        assert all(x_low - slack <= x <= x_high + slack for x in xs)
        assert all(y_low - slack <= y <= y_high + slack for y in ys)
