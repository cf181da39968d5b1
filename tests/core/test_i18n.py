"""The Spanish catalogues are complete: every message of the UI has a translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pulso

CATALOGUES = sorted(Path(pulso.__file__).parent.glob("**/locale/es/LC_MESSAGES/django.po"))


def untranslated(po_text: str) -> list[str]:
    """Messages without a translation in every plural form, or marked fuzzy."""
    missing = []
    plurals = re.search(r"nplurals=(\d+)", po_text)
    nplurals = int(plurals.group(1)) if plurals else 2
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        msgid = _text(_section(lines, "msgid "))
        if not msgid:
            continue  # the header
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if _section(lines, "msgid_plural"):
            fields = tuple(f"msgstr[{n}]" for n in range(nplurals))
        else:
            fields = ("msgstr ",)
        forms = [_text(_section(lines, f)) for f in fields]
        if fuzzy or not all(forms):
            missing.append(msgid)
    return missing


def _text(lines: list[str]) -> str:
    return "".join(re.findall(r'"(.*)"', "\n".join(lines)))


def _section(lines: list[str], prefix: str) -> list[str]:
    """The lines of one field (msgid or msgstr…), continuation lines included."""
    taken: list[str] = []
    inside = False
    for line in lines:
        if line.startswith(("msgid", "msgstr", "msgctxt")):
            inside = line.startswith(prefix)
        if inside:
            taken.append(line)
    return taken


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_spanish_catalogue_is_complete(path: Path) -> None:
    assert untranslated(path.read_text(encoding="utf-8")) == []
    compiled = path.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_size > 0


def test_detects_a_missing_plural_form() -> None:
    po = (
        'msgid ""\nmsgstr "Plural-Forms: nplurals=3; plural=n == 1 ? 0 : 2;"\n\n'
        'msgid "one item"\nmsgid_plural "%d items"\nmsgstr[0] "un elemento"\n'
        'msgstr[1] "%d elementos"\n'
    )
    assert untranslated(po) == ["one item"]


def test_detects_a_missing_translation() -> None:
    po = 'msgid ""\nmsgstr "header"\n\nmsgid "Hello"\nmsgstr ""\n\nmsgid "Bye"\nmsgstr "Adiós"\n'
    assert untranslated(po) == ["Hello"]
