"""LimeSurvey CSV response exports (Responses → Export → CSV).

The first columns are ``id, submitdate, lastpage, startlanguage, seed, startdate, datestamp``
(or their full texts: "ID de respuesta", "Fecha de envío"…), then one column per question code
(``Q1``), subquestion (``Q2[SQ001]``) or "other" text (``Q3[other]``). Headings are codes or
full question texts ("¿…? [Precio]"); values answer codes (``A1``, ``Y``) or full answers.
"""

from __future__ import annotations

import re

from pulso.core.files import normalise_header
from pulso.surveys.importers.common import Column

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
