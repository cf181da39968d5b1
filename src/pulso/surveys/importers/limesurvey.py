"""LimeSurvey CSV response exports (Responses → Export → CSV).

The first columns are ``id, submitdate, lastpage, startlanguage, seed, startdate, datestamp``
(or their full texts: "ID de respuesta", "Fecha de envío"…), then one column per question code
(``Q1``), subquestion (``Q2[SQ001]``) or "other" text (``Q3[other]``). Headings are codes or
full question texts ("¿…? [Precio]"); values answer codes (``A1``, ``Y``) or full answers.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from pulso.core.files import ImportFileError, normalise_header, read_table
from pulso.surveys.importers.common import Column, Export, ExportRow

META_ALIASES = {
    "external_id": {"id", "idderespuesta", "responseid", "iddelarespuesta"},
    "submitted": {"submitdate", "fechadeenvio", "datesubmitted"},
    "started": {"startdate", "fechadeinicio", "datestarted"},
    "language": {"startlanguage", "lenguajeinicial", "idiomainicial"},
    "customer": {"token", "clave", "codigodeacceso", "accesscode"},
    "ignored": {
        "lastpage", "ultimapagina", "seed", "semilla", "datestamp", "fechadelaultimaaccion",
        "datelastaction", "ipaddr", "direccionip", "ipaddress", "refurl", "urldereferencia",
        "referrerurl", "interviewtime", "tiempototal", "totaltime",
    },
}  # fmt: skip
HEADING = re.compile(r"^(?P<code>.*?)\s*\[(?P<sub>[^\]]*)\]\s*$")


def _meta_key(heading: str) -> str | None:
    word = normalise_header(heading)
    for key, aliases in META_ALIASES.items():
        if word in aliases:
            return key
    return None


# "Question code & question text" headings, with the default code/text separator ". ":
# "Q1. ¿Con qué probabilidad…?", "Q2[SQ001]. ¿Qué valoras? [Precio]".
CODE_AND_TEXT = re.compile(
    r"^(?P<code>[A-Za-z][A-Za-z0-9_]*)(?:\[(?P<sub>[^\]]*)\])?\.\s+(?P<text>.+)$"
)


def _column(index: int, heading: str) -> Column:
    both = CODE_AND_TEXT.match(heading)
    if both:
        code, sub, text = both.group("code"), both.group("sub") or "", both.group("text")
        labelled = HEADING.match(text) if sub else None
        text, sub_text = (labelled.group("code"), labelled.group("sub")) if labelled else (text, "")
        return Column(index, heading, code, _other(sub), text.strip(), sub_text)
    match = HEADING.match(heading)
    code, sub = (match.group("code"), match.group("sub")) if match else (heading, "")
    is_code = bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", code))
    text = "" if is_code else code
    sub_text = "" if re.fullmatch(r"[A-Za-z0-9_]+", sub) else sub
    return Column(index, heading, code, _other(sub), text, sub_text)


def _other(sub: str) -> str:
    """LimeSurvey's free-text "other" subquestion, however it is spelled, as "other"."""
    if sub and normalise_header(sub) in ("other", "otro", "otros", "comment", "comentario"):
        return "other"
    return sub


def parse(data: bytes, file_name: str = "") -> Export:
    """Read a LimeSurvey export; raises ImportFileError when it cannot be read at all."""
    table = read_table(data, file_name)
    columns, meta_index = [], {}
    for index, heading in enumerate(table.headers):
        key = _meta_key(heading)
        if key == "ignored":
            continue
        if key and key not in meta_index:
            meta_index[key] = index
        elif heading:
            columns.append(_column(index, heading))
    if "external_id" not in meta_index or "submitted" not in meta_index:
        message = _("This is not a LimeSurvey response export: no id and submitdate columns.")
        raise ImportFileError(message)
    export = Export(columns=columns, rows=[])
    for number, cells in table.rows:
        meta = {key: cells[i] if i < len(cells) else "" for key, i in meta_index.items()}
        meta["complete"] = "1" if meta.get("submitted", "").strip() else "0"
        meta["channel"] = "import"
        meta["language"] = meta.get("language", "").split("-")[0].lower()
        export.rows.append(ExportRow(number, meta, cells))
    return export
