"""Feedback files (CSV in any common encoding and delimiter, or XLSX) → feedback items.

Reading the file is shared with the other imports (:mod:`pulso.core.files`); here columns are
mapped to feedback fields and each row becomes the raw item that the API accepts,
so files and API batches go through the same validation.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulso.core.files import Table, match_headers, normalise_header, parse_regional_date

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


# When no header matches exactly: words a header may contain, by field, strongest rules first
# ("Review ID" is an id before it is a review, "Review Date" a date, "Star Rating" a rating,
# "Nombre de la tienda" a store before it is a name). Each rule maps one column at most.
HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("customer", ("idcliente", "clienteid", "customerid", "codigocliente", "clientid")),
    ("external_id", ("reviewid", "idresena", "iddelaresena", "ticketid", "idticket",
                     "externalid", "idexterno", "commentid", "postid", "messageid")),
    ("received_at", ("fecha", "date", "timestamp", "created", "creado", "creacion",
                     "publicad", "published")),
    ("rating", ("rating", "puntuacion", "valoracion", "estrellas", "stars", "score",
                "calificacion")),
    ("org_unit", ("tienda", "store", "sucursal", "oficina", "establecimiento", "branch",
                  "location", "centro", "local")),
    ("text", ("texto", "text", "comentario", "comment", "opinion", "mensaje", "message",
              "contenido", "content", "body", "descripcion", "description", "feedback",
              "transcripcion", "transcript", "resena")),
    ("author", ("reviewer", "author", "autor", "usuario", "user", "nombre", "name")),
    ("text", ("review",)),
    ("source_name", ("plataforma", "platform", "sitio", "site", "network")),
    ("language", ("idioma", "language", "lang")),
    ("channel", ("canal", "channel")),
]  # fmt: skip


def detect_mapping(headers: Sequence[str]) -> dict[str, int]:
    """Feedback field → column index, guessed from the headers: exact spellings first, then
    words the headers contain (see HEADER_WORDS); unknown headers are ignored."""
    return match_headers(headers, HEADER_ALIASES, HEADER_WORDS)


def mapping_from_names(headers: Sequence[str], pairs: Mapping[str, str]) -> dict[str, int]:
    """{field: column index} from {column header: field} (the CLI's ``--mapping col=field``)."""
    positions = {normalise_header(h): i for i, h in enumerate(headers)}
    mapping: dict[str, int] = {}
    for column, target in pairs.items():
        if target not in FIELD_LABELS:
            raise ValueError(_("Unknown field: %(field)s") % {"field": target})
        if normalise_header(column) not in positions:
            raise ValueError(_("The file has no column “%(column)s”.") % {"column": column})
        mapping[target] = positions[normalise_header(column)]
    return mapping


def _date(value: str) -> str:
    """Dates in the regional forms files use (``31/12/2024 18:30``, ``12/31/2024 6:30 PM``…)
    as ISO 8601; anything else is left for the API's validation to accept or report."""
    try:
        return parse_regional_date(value.strip()).isoformat()
    except ValueError:
        return value


def _cell(target: str, value: str) -> Any:
    if target == "rating":
        return value.replace(",", ".")
    if target == "rating_scale_max":
        return value.split(".")[0].split(",")[0]
    if target == "received_at":
        return _date(value)
    if target == "source":
        return SOURCE_WORDS.get(normalise_header(value), value)
    if target in ("touchpoint", "org_unit") and value.isdigit():
        return int(value)
    return value


def row_item(
    cells: Sequence[str], mapping: Mapping[str, int], defaults: Mapping[str, Any], width: int
) -> dict[str, Any]:
    """The raw feedback item of one row; raises ValueError when the row cannot be read."""
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
        if value:
            item[target] = _cell(target, value)
    return item


def rows_to_items(
    table: Table, mapping: Mapping[str, int], defaults: Mapping[str, Any]
) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]]]:
    """(row number, raw item) for each readable row, and the unreadable ones with reasons."""
    items: list[tuple[int, dict[str, Any]]] = []
    rejects: list[dict[str, Any]] = []
    for number, cells in table.rows:
        try:
            items.append((number, row_item(cells, mapping, defaults, len(table.headers))))
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
