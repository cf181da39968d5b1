"""docs/access.md is the policy's role × action table as the code generates it."""

from pathlib import Path

from django.core.management import call_command

from pulso.core.access_docs import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def test_committed_table_matches_the_policy() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "Regenerate it: pulso access_table --write docs/access.md"
    )


def test_command_writes_the_table(tmp_path: Path) -> None:
    target = tmp_path / "access.md"
    call_command("access_table", write=str(target))
    text = target.read_text(encoding="utf-8")
    assert "| `surveys.change_survey` |" in text
    assert text == render_markdown()
