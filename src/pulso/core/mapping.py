"""Explicit column mappings for file imports: which column holds which field, never guessed
from words a header contains.

A mapping is written by the user (a YAML or JSON file for the CLI, the form for the web) as
``{column: target}``. A column is named by its header (compared without accents, case, spaces
or punctuation, but whole) or by its position, ``"#3"`` for the third column, which is how a
blank or duplicated header is picked. A target of ``null``, ``""`` or ``"ignore"`` un-maps a
column that a preset or the header aliases would otherwise map. Placeholders that spreadsheets
and tools write in empty cells ("nan", "N/A", "Did not answer"…) read as blank.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from pulso.core.files import normalise_header

IGNORE = "ignore"
POSITION = re.compile(r"^#(\d+)$")
# Cells that mean "no answer" whatever the column (normalised; see normalise_header).
PLACEHOLDERS = frozenset(
    {
        "nan", "null", "none", "na", "nd", "didnotanswer", "noanswer", "noresponse",
        "notanswered", "sinrespuesta", "norespondido", "nocontesta", "nocontestado",
        "respuestanodada", "skipped", "omitido", "undefined",
    }
)  # fmt: skip
SHORT_PLACEHOLDERS = frozenset({"-", "--", "—", "–", ".", "?", "#n/a", "n/a", "n.a.", "s/r"})


class MappingError(ValueError):
    """A mapping that cannot be applied to the file (unknown or ambiguous column, bad target)."""


def is_placeholder(value: str) -> bool:
    """Whether a cell holds nothing but a placeholder for "no answer" ("nan", "N/A", "-")."""
    text = value.strip()
    if not text or text.lower() in SHORT_PLACEHOLDERS:
        return True
    if len(text) > 24:
        return False
    return normalise_header(text) in PLACEHOLDERS


def load_mapping_file(path: Path) -> dict[str, Any]:
    """A mapping file (``.json``, ``.yaml`` or ``.yml``) as a dict; MappingError when unreadable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(_("Cannot read the mapping file: %(error)s") % {"error": exc}) from exc
    return parse_mapping_text(text, json_only=path.suffix.lower() == ".json")


def parse_mapping_text(text: str, json_only: bool = False) -> dict[str, Any]:
    """A mapping written as JSON or YAML, or as ``column = target`` lines."""
    import yaml

    try:
        data = json.loads(text) if json_only else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        message = _("The mapping is not valid JSON or YAML: %(error)s") % {"error": exc}
        raise MappingError(message) from exc
    if data is None:
        return {}
    if isinstance(data, str):  # "a = b" lines read by YAML as one string
        data = _lines(text)
    if not isinstance(data, dict):
        raise MappingError(_("The mapping must be a set of “column: field” pairs."))
    return {str(k): v for k, v in data.items()}


def _lines(text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        column, sep, target = line.rpartition("=")
        if not sep or not column.strip():
            raise MappingError(_("Write each line as COLUMN = field."))
        pairs[column.strip()] = target.strip()
    return pairs


def is_unmapped(target: Any) -> bool:
    return target is None or (isinstance(target, str) and target.strip().lower() in ("", IGNORE))


def column_index(headers: Sequence[str], ref: str) -> int:
    """The index of the column ``ref`` names (a whole header, or ``#N`` for the N-th column)."""
    position = POSITION.match(ref.strip())
    if position:
        index = int(position.group(1)) - 1
        if not 0 <= index < len(headers):
            raise MappingError(
                _("The file has no column %(ref)s (it has %(count)s columns).")
                % {"ref": ref, "count": len(headers)}
            )
        return index
    wanted = normalise_header(ref)
    found = [i for i, header in enumerate(headers) if wanted and normalise_header(header) == wanted]
    if not found:
        raise MappingError(_("The file has no column “%(column)s”.") % {"column": ref})
    if len(found) > 1:
        positions = ", ".join(f"#{i + 1}" for i in found)
        raise MappingError(
            _(
                "The header “%(column)s” is in several columns (%(positions)s): "
                "name one by its position."
            )
            % {"column": ref, "positions": positions}
        )
    return found[0]


def apply_mapping(
    headers: Sequence[str],
    detected: Mapping[str, int],
    explicit: Mapping[str, Any],
    fields: Sequence[str],
) -> dict[str, int]:
    """{field: column index}: ``detected`` (exact header aliases) overridden by ``explicit``
    ({column: field or null}). Raises MappingError for unknown fields or columns."""
    mapping = dict(detected)
    for ref, target in explicit.items():
        index = column_index(headers, ref)
        for name, mapped in list(mapping.items()):
            if mapped == index:
                del mapping[name]
        if is_unmapped(target):
            continue
        if not isinstance(target, str) or target not in fields:
            raise MappingError(_("Unknown field: %(field)s") % {"field": target})
        mapping[target] = index
    return mapping
