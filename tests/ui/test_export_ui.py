"""e and s in the app: files go to the export folder (made if missing), never over one."""

from __future__ import annotations

from .helpers import ReglabApp, settle


async def test_e_twice_writes_two_files_and_s_makes_the_missing_folder(tmp_path):
    folder = tmp_path / "not" / "there"
    app = ReglabApp(warm=False, export_dir=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.press("e", "e")
        await pilot.pause()
    names = sorted(p.name for p in folder.iterdir())
    svgs = [n for n in names if n.endswith(".svg")]
    jsons = [n for n in names if n.endswith(".json")]
    assert len(svgs) == 1 and svgs[0].startswith("reglab-overfitting-")
    assert len(jsons) == 2 and len({n.removesuffix(".json") for n in jsons}) == 2
    assert "<svg" in (folder / svgs[0]).read_text()


async def test_E_writes_the_current_labs_script_and_production_says_why_not(tmp_path):
    app = ReglabApp(warm=False, export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("right")  # degree 15
        await settle(app, pilot)
        await pilot.press("E")
        (script,) = tmp_path.glob("reglab-overfitting-*.py")
        assert "PolynomialFeatures(15)" in script.read_text()
        assert script.name in next(iter(app._notifications)).message
        app.show_lab("production")
        await settle(app, pilot)
        await pilot.press("E")
        *_, refused = app._notifications
        assert refused.title == "No script" and "production" in refused.message
    assert len(list(tmp_path.glob("*.py"))) == 1
