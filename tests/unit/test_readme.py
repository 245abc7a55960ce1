"""The README's lab table is the registry's: a lab added there must appear here too."""

from pathlib import Path

from reglab.core.registry import LABS

README = Path(__file__).resolve().parents[2] / "README.md"


def lab_table() -> str:
    rows = ["| key | lab | what you see |", "|---|---|---|"]
    rows += [f"| {n} | `{lab.name}` | {lab.summary} |" for n, lab in enumerate(LABS.values(), 1)]
    return "\n".join(rows)


def test_readme_lab_table_matches_the_registry():
    assert lab_table() in README.read_text(), "update the README's lab table:\n" + lab_table()


def test_readme_points_to_the_lab_reference_inside_the_repo():
    text = README.read_text()
    assert "docs/labs.md" in text and "../shared" not in text
    assert (README.parent / "docs" / "labs.md").is_file()
