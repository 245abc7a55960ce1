"""The footer is rebuilt when the keys it shows change, and only then: moving between
parameter rows used to recompose it on every focus move."""

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.ui.helpers import ReglabApp, settle


def footer_keys(app: ReglabApp) -> list[tuple[str, str]]:
    return [(key.key, key.description) for key in app.screen.query(FooterKey)]


async def test_moving_between_rows_keeps_the_footer_and_a_new_lab_updates_it(monkeypatch):
    recompositions = []
    original = Footer.recompose

    async def counted(widget):
        recompositions.append(widget)
        await original(widget)

    monkeypatch.setattr(Footer, "recompose", counted)
    app = ReglabApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert ("L", "learning curve") in footer_keys(app)
        before = len(recompositions)
        await pilot.press(*["down"] * 5, *["up"] * 3)
        await settle(app, pilot)
        assert len(recompositions) == before  # Textual's Footer: 16 more
        await pilot.press("2")
        await settle(app, pilot)
        keys = footer_keys(app)
        assert ("v", "geometry") in keys and ("L", "learning curve") not in keys
        assert ("q", "quit") in keys
