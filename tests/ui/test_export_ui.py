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
