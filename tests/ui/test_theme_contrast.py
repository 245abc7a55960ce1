"""Charts are readable in every built-in theme: no drawn character of a chart has its
foreground colour equal to its background (ansi-dark drew axes black on black)."""

from __future__ import annotations

from rich.color import Color
from rich.style import Style

from reglab.widgets.chart import Chart
from tests.ui.helpers import ReglabApp, settle


def triplet(color: Color | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if color is None or color.is_default:
        return default
    rgb = color.get_truecolor()
    return (rgb.red, rgb.green, rgb.blue)


def unreadable(picture, terminal_fg, terminal_bg) -> list[str]:
    """The drawn characters whose colour is their background's, with their style."""
    bad = []
    for span in picture.spans:
        text = picture.plain[span.start : span.end]
        style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
        if text.strip() and triplet(style.color, terminal_fg) == triplet(
            style.bgcolor, terminal_bg
        ):
            bad.append(f"{text.strip()[:12]!r} in {style}")
    return bad


async def test_every_builtin_theme_draws_charts_readably():
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        themes = sorted(app.available_themes)
        assert {"ansi-dark", "ansi-light", "textual-dark", "nord"} <= set(themes)
        problems = {}
        for theme in themes:
            app.theme = theme
            await settle(app, pilot)
            chart = app.current_pane.query(Chart).first()
            assert chart._picture is not None and not chart.drawing
            # ANSI themes leave colours to the terminal: judge them on a dark and a light one.
            for fg, bg in (((229, 229, 229), (0, 0, 0)), ((0, 0, 0), (255, 255, 255))):
                bad = unreadable(chart._picture, fg, bg)
                if bad:
                    problems[theme] = bad[:3]
        assert not problems, problems
