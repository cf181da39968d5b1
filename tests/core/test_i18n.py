"""The Spanish catalogues are complete (every message of the UI has a translation) and agree
(a message, in its context, reads the same in every app: Django merges the catalogues, so a
second translation would only ever show in the wrong place)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

import pulso

PACKAGE = Path(pulso.__file__).parent
CATALOGUES = sorted(PACKAGE.glob("**/locale/es/LC_MESSAGES/django.po"))


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


Key = tuple[str, str, str]  # context, message, plural message


def translations(po_text: str) -> dict[Key, tuple[str, ...]]:
    """Every translated message of a catalogue, by context and message."""
    found: dict[Key, tuple[str, ...]] = {}
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#")]
        msgid = _text(_section(lines, "msgid "))
        if not msgid:
            continue
        key = (_text(_section(lines, "msgctxt")), msgid, _text(_section(lines, "msgid_plural")))
        strings = [line for line in lines if line.startswith("msgstr")]
        found[key] = tuple(_text(_section(lines, line.split()[0] + " ")) for line in strings)
    return found


def disagreements(catalogues: dict[str, str]) -> dict[Key, dict[tuple[str, ...], list[str]]]:
    """The messages translated differently by two catalogues (name → text), with who says what."""
    seen: dict[Key, dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, text in catalogues.items():
        for key, strings in translations(text).items():
            seen[key][strings].append(name)
    return {key: dict(said) for key, said in seen.items() if len(said) > 1}


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


def test_every_catalogue_translates_a_message_the_same_way() -> None:
    catalogues = {str(path.relative_to(PACKAGE)): path.read_text("utf-8") for path in CATALOGUES}
    assert disagreements(catalogues) == {}


def test_detects_a_message_translated_two_ways_unless_its_contexts_differ() -> None:
    loop = 'msgid "Closed"\nmsgstr "Cerrado"\n\nmsgctxt "case"\nmsgid "Open"\nmsgstr "Abierto"\n'
    surveys = (
        'msgid "Closed"\nmsgstr "Cerrada"\n\nmsgctxt "survey"\nmsgid "Open"\nmsgstr "Abierta"\n'
    )
    assert disagreements({"loop": loop, "surveys": surveys}) == {
        ("", "Closed", ""): {("Cerrado",): ["loop"], ("Cerrada",): ["surveys"]}
    }
