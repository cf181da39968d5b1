"""Text as it arrives from people and files (forms, JSON, CSV/XLSX cells), made safe to store,
render and export.

NUL carries nothing and PostgreSQL refuses it; the other C0 control characters (all but tab,
newline and carriage return) and U+FFFE/U+FFFF are illegal in XML, so XLSX exports and XML
renderers fail on them. Lone surrogates cannot be encoded as UTF-8 at all.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LONE_SURROGATES = re.compile("[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"


def strip_control_characters(text: str) -> str:
    """``text`` without NUL and the other XML-illegal control characters."""
    return CONTROL_CHARACTERS.sub("", text)


def has_lone_surrogates(text: str) -> bool:
    """Whether ``text`` holds bytes that could not be decoded (see :func:`clean_text`)."""
    return LONE_SURROGATES.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` safe to store and show anywhere: control characters dropped, undecodable
    bytes (lone surrogates) shown as U+FFFD."""
    return LONE_SURROGATES.sub(REPLACEMENT_CHARACTER, strip_control_characters(text))
