"""Feedback files (CSV in any common encoding and delimiter, or XLSX) → feedback items.

Reading the file is shared with the other imports (:mod:`pulso.core.files`); here columns are
mapped to feedback fields and each row becomes the raw item that the API accepts,
so files and API batches go through the same validation.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulso.core.dates import AmbiguousDate, parse_export_date
from pulso.core.files import ImportFileError, Table, match_headers, normalise_header
from pulso.core.mapping import apply_mapping, is_placeholder

# Target field → header spellings (compared without accents, case, spaces or punctuation).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "texto", "comentario", "comment", "opinion", "resena", "review", "mensaje",
             "message", "contenido", "content", "body", "nota", "note", "transcripcion"),
    "rating": ("rating", "valoracion", "puntuacion", "nota1a5", "estrellas", "stars", "score"),
    "rating_scale_max": ("escala", "scale", "ratingscalemax", "maximo", "max", "sobre"),
    "received_at": ("fecha", "date", "receivedat", "created", "createdat", "fechahora",
                    "datetime", "timestamp", "publicado", "publishedat"),
    "external_id": ("id", "externalid", "idexterno", "reviewid", "ticket", "referencia", "ref"),
    "source": ("source", "fuente", "origen", "tipo"),
    "source_name": ("sourcename", "plataforma", "platform", "sitio", "site", "red", "network"),
    "channel": ("channel", "canal"),
    "author": ("author", "autor", "usuario", "user", "nombre", "name", "cliente nombre"),
    "customer": ("customer", "cliente", "idcliente", "customerid", "clienteid",
                 "customerexternalid"),
    "touchpoint": ("touchpoint", "puntodecontacto", "puntocontacto"),
    "org_unit": ("orgunit", "unidad", "tienda", "store", "centro", "oficina", "sucursal", "unit"),
    "language": ("language", "idioma", "lang", "lengua"),
}  # fmt: skip

FIELD_LABELS = {
    "text": gettext_lazy("Text"),
    "rating": gettext_lazy("Rating"),
    "rating_scale_max": gettext_lazy("Rating scale maximum"),
    "received_at": gettext_lazy("Date"),
    "external_id": gettext_lazy("External id"),
    "source": gettext_lazy("Source"),
    "source_name": gettext_lazy("Source name"),
    "channel": gettext_lazy("Channel"),
    "author": gettext_lazy("Author"),
    "customer": gettext_lazy("Customer (external id)"),
    "touchpoint": gettext_lazy("Touchpoint (id or name)"),
    "org_unit": gettext_lazy("Org unit (id or code)"),
    "language": gettext_lazy("Language"),
}
SOURCE_WORDS = {
    "resena": "review", "resenas": "review", "opinion": "review", "review": "review",
    "social": "social", "redsocial": "social", "redessociales": "social", "twitter": "social",
    "x": "social", "facebook": "social", "instagram": "social", "tiktok": "social",
    "contactcentre": "contact_centre", "contactcenter": "contact_centre",
    "callcenter": "contact_centre", "llamada": "contact_centre", "notadellamada": "contact_centre",
    "email": "email",
    "correo": "email", "correoelectronico": "email", "chat": "chat", "otro": "other",
    "otros": "other", "other": "other",
}  # fmt: skip


def detect_mapping(headers: Sequence[str]) -> dict[str, int]:
    """Feedback field → column index for headers spelled exactly as one of a field's aliases
    (compared without accents, case, spaces or punctuation); nothing is guessed from words a
    header merely contains ("Comment sentiment" is not the comment)."""
    return match_headers(headers, HEADER_ALIASES)


def mapping_from_names(headers: Sequence[str], pairs: Mapping[str, Any]) -> dict[str, int]:
    """{field: column index} from an explicit mapping {column: field or null}, the column named
    by its whole header or its position (``#3``); raises MappingError."""
    return apply_mapping(headers, {}, pairs, list(FIELD_LABELS))


def complete_mapping(headers: Sequence[str], explicit: Mapping[str, Any]) -> dict[str, int]:
    """The exact-alias mapping, with the explicit entries mapping, re-mapping or un-mapping
    columns."""
    return apply_mapping(headers, detect_mapping(headers), explicit, list(FIELD_LABELS))


@dataclass
class FileSettings:
    """How a whole file is read: the order of its dates and the scale of its ratings."""

    date_order: str = ""
    rating_scale: tuple[int, int] | None = None  # (lowest, highest) as the file writes them
    reverse_rating: bool = False


def _date(value: str, order: str = "") -> str:
    """An exported date as ISO 8601; AmbiguousDate when the day and month could be swapped
    and no order is given (anything else unreadable is left for the API's validation)."""
    try:
        parsed = parse_export_date(value.strip(), order)
    except AmbiguousDate:
        raise
    except ValueError:
        return value
    return parsed.isoformat() if parsed else value


def _rating(value: str, settings: FileSettings) -> str:
    text = value.replace(",", ".")
    if settings.rating_scale is None:
        return text
    low, high = settings.rating_scale
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text  # the API's validation explains it
    if not low <= number <= high:
        raise ValueError(
            _("rating “%(value)s” is outside the file's %(low)s–%(high)s scale")
            % {"value": value, "low": low, "high": high}
        )
    shifted = (high - number) if settings.reverse_rating else (number - low)
    return str(shifted + (1 if low >= 1 else 0))


def _cell(target: str, value: str, settings: FileSettings) -> Any:
    if target == "rating":
        return _rating(value, settings)
    if target == "rating_scale_max":
        return value.split(".")[0].split(",")[0]
    if target == "received_at":
        return _date(value, settings.date_order)
    if target == "source":
        return SOURCE_WORDS.get(normalise_header(value), value)
    if target in ("touchpoint", "org_unit") and value.isdigit():
        return int(value)
    return value


def row_item(
    cells: Sequence[str],
    mapping: Mapping[str, int],
    defaults: Mapping[str, Any],
    width: int,
    settings: FileSettings | None = None,
) -> dict[str, Any]:
    """The raw feedback item of one row; raises ValueError when the row cannot be read.
    Placeholders ("nan", "N/A", "Did not answer") are blank."""
    if len(cells) != width:
        raise ValueError(
            _("wrong number of columns: expected %(expected)s, found %(found)s")
            % {"expected": width, "found": len(cells)}
        )
    if any("\udc80" <= char <= "\udcff" for cell in cells for char in cell):
        raise ValueError(_("bad encoding: the row has characters that cannot be read"))
    item: dict[str, Any] = {k: v for k, v in defaults.items() if v not in (None, "")}
    for target, index in mapping.items():
        value = cells[index].strip()
        if value and not is_placeholder(value):
            item[target] = _cell(target, value, settings or FileSettings())
    if settings and settings.rating_scale and "rating" in item:
        low, high = settings.rating_scale
        item["rating_scale_max"] = high - low + (1 if low >= 1 else 0)
    return item


def rows_to_items(
    table: Table,
    mapping: Mapping[str, int],
    defaults: Mapping[str, Any],
    settings: FileSettings | None = None,
) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]]]:
    """(row number, raw item) for each readable row, and the unreadable ones with reasons.
    Raises ImportFileError when a date can be read day first or month first and the file's
    date order is not given: the whole file would otherwise be stored half wrong."""
    items: list[tuple[int, dict[str, Any]]] = []
    rejects: list[dict[str, Any]] = []
    width = len(table.headers)
    for number, cells in table.rows:
        if table.encoding == "xlsx" and len(cells) < width:
            cells = cells + [""] * (width - len(cells))  # a sheet leaves empty cells out
        try:
            items.append((number, row_item(cells, mapping, defaults, width, settings)))
        except AmbiguousDate as exc:
            raise ImportFileError(
                _("Row %(row)s: %(reason)s (dmy, mdy or ymd).") % {"row": number, "reason": exc}
            ) from exc
        except ValueError as exc:
            rejects.append({"index": number, "errors": {"row": str(exc)}})
    return items, rejects


def rejects_csv(rejects: Sequence[Mapping[str, Any]]) -> str:
    """The rejected rows as CSV (row;field;reason), UTF-8 with BOM so Excel reads accents."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Row"), _("Field"), _("Reason")])
    for reject in rejects:
        for field, reason in reject["errors"].items():
            writer.writerow([reject["index"], field, reason])
    return "\ufeff" + out.getvalue()
