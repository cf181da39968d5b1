"""Each survey tool's export layout, recognised from its first rows: how many rows are headers,
which columns hold the respondent id, the dates and the status, and which hold answers.

Qualtrics (current, 2016-era ``ResponseID``, legacy ``V1``–``V10`` with its second row of
names, JSON or single-quoted ``ImportId`` rows, CSV or TSV), LimeSurvey (codes or texts),
SurveyMonkey (two header rows), Google Forms, Typeform and Microsoft Forms (CSV or XLSX).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from pulso.core.files import ImportFileError, normalise_header
from pulso.surveys.importers import limesurvey, qualtrics
from pulso.surveys.importers.common import Column

FORMATS = ("qualtrics", "limesurvey", "surveymonkey", "googleforms", "typeform", "msforms")
FORMAT_NAMES = {
    "auto": _("Recognise the tool"),
    "qualtrics": "Qualtrics",
    "limesurvey": "LimeSurvey",
    "surveymonkey": "SurveyMonkey",
    "googleforms": "Google Forms",
    "typeform": "Typeform",
    "msforms": "Microsoft Forms",
    "generic": _("Other (map every column)"),
}
META_ROLES = ("respondent_id", "submitted", "started", "customer", "language")


@dataclass
class Layout:
    """What a preset found: ``headers`` name every column (for mapping by name or ``#N``),
    ``columns`` are the answer columns, ``meta`` maps a role to its column."""

    tool: str
    header_rows: int
    headers: list[str]
    columns: list[Column]
    meta: dict[str, int] = field(default_factory=dict)
    zone: str = ""  # the time zone naive dates are in ("" = the project's)
    # tool-specific readings of status columns: finished, status, response_type, progress
    flags: dict[str, int] = field(default_factory=dict)


def _cells(head: Sequence[tuple[int, list[str]]], row: int) -> list[str]:
    return head[row][1] if row < len(head) else []


def _import_ids(cells: Sequence[str]) -> bool:
    return any(re.match(r"^\{\s*['\"]ImportId['\"]\s*:", cell) for cell in cells)


def _import_zone(cells: Sequence[str]) -> str:
    for cell in cells:
        if "timeZone" not in cell:
            continue
        try:
            data = json.loads(cell)
        except ValueError:
            try:
                data = ast.literal_eval(cell)
            except (ValueError, SyntaxError):
                continue
        zone = data.get("timeZone") if isinstance(data, dict) else None
        if isinstance(zone, str) and zone:
            return zone
    return ""


QUALTRICS_META = qualtrics.META | {"ResponseID": "external_id", "ExternalDataReference": "customer"}
QUALTRICS_ROLES = {
    "external_id": "respondent_id", "submitted": "submitted", "started": "started",
    "customer": "customer", "language": "language",
}  # fmt: skip
QUALTRICS_FLAGS = {"finished", "status", "ended", "channel", "progress"}


def _qualtrics(head: Sequence[tuple[int, list[str]]]) -> Layout | None:
    first, second = _cells(head, 0), _cells(head, 1)
    legacy = first[:3] == ["V1", "V2", "V3"] and "ResponseID" in second
    if not legacy and not ({"ResponseId", "ResponseID"} & set(first) and "StartDate" in first):
        return None
    names = second if legacy else first
    texts = second if legacy else (second if not _import_ids(second) else [])
    rows = 2 if legacy else 1
    if not legacy and second and not _import_ids(second):
        start = second[first.index("StartDate")] if "StartDate" in first else ""
        rows = 2 if start and not start[:1].isdigit() else 1
    third = _cells(head, rows)
    zone = ""
    if _import_ids(third):
        zone, rows = _import_zone(third), rows + 1
    layout = Layout("qualtrics", rows, list(names), [], zone=zone)
    for index, name in enumerate(names):
        role = QUALTRICS_META.get(name)
        if role in QUALTRICS_ROLES:
            layout.meta[QUALTRICS_ROLES[role]] = index
        elif role in QUALTRICS_FLAGS:
            layout.flags[role] = index
        elif name and name not in qualtrics.IGNORED and not qualtrics.NOT_ANSWERS.search(name):
            code = first[index] if legacy else name
            text = texts[index] if index < len(texts) else ""
            layout.columns.append(qualtrics._column(index, code, text))
    return layout


def _limesurvey(head: Sequence[tuple[int, list[str]]]) -> Layout | None:
    names = _cells(head, 0)
    roles = {limesurvey._meta_key(name): i for i, name in reversed(list(enumerate(names)))}
    if "external_id" not in roles or "submitted" not in roles:
        return None
    layout = Layout("limesurvey", 1, list(names), [])
    for role, index in roles.items():
        if role in ("submitted", "started", "customer", "language"):
            layout.meta[role] = index
    layout.meta["respondent_id"] = roles["external_id"]
    for index, name in enumerate(names):
        if name and limesurvey._meta_key(name) is None:
            layout.columns.append(limesurvey._column(index, name))
    return layout


SM_META = {
    "respondentid": "respondent_id", "iddelencuestado": "respondent_id",
    "startdate": "started", "fechadeinicio": "started",
    "enddate": "submitted", "fechadefinalizacion": "submitted",
}  # fmt: skip
SM_SKIPPED = {"collectorid", "iddelrecopilador", "ipaddress", "direccionip", "emailaddress",
              "direcciondecorreoelectronico", "firstname", "nombre", "lastname", "apellido",
              "customdata1", "datospersonalizados1"}  # fmt: skip
SM_WHOLE = {"", "response", "openendedresponse", "respuesta", "respuestaabierta", "answer"}


def _surveymonkey(head: Sequence[tuple[int, list[str]]]) -> Layout | None:
    first, second = _cells(head, 0), _cells(head, 1)
    keys = [normalise_header(name) for name in first]
    if not ({"respondentid", "iddelencuestado"} & set(keys)) or not second:
        return None
    layout = Layout("surveymonkey", 2, [], [])
    question = ""
    for index, name in enumerate(first):
        key, sub = keys[index], second[index] if index < len(second) else ""
        question = name or question
        if key in SM_META:
            layout.meta[SM_META[key]] = index
        layout.headers.append(f"{question} - {sub}" if sub and not name else name or question)
        if key in SM_META or key in SM_SKIPPED:
            continue
        if normalise_header(sub) in SM_WHOLE:
            layout.columns.append(Column(index, question, question, "", question))
        elif re.search(r"(please specify|especifique|other|otro)", sub, re.IGNORECASE):
            layout.columns.append(Column(index, layout.headers[-1], question, "other", question))
        else:
            name_ = layout.headers[-1]
            layout.columns.append(Column(index, name_, question, sub, question, sub))
    return layout


def _simple(
    tool: str, names: list[str], meta: dict[str, str], skipped: set[str], flags: dict[str, str]
) -> Layout:
    layout = Layout(tool, 1, list(names), [])
    for index, name in enumerate(names):
        key = normalise_header(name)
        if key in meta:
            layout.meta.setdefault(meta[key], index)
        elif key in flags:
            layout.flags[flags[key]] = index
        elif name and key not in skipped:
            layout.columns.append(Column(index, name, name, "", name))
    return layout


TYPEFORM_META = {"": "respondent_id", "submitdateutc": "submitted", "startdateutc": "started"}
TYPEFORM_SKIPPED = {"networkid", "tags", "stagedateutc", "ending", "score"}


def _typeform(head: Sequence[tuple[int, list[str]]]) -> Layout | None:
    names = _cells(head, 0)
    keys = {normalise_header(name) for name in names}
    if not names or names[0] != "#" or "submitdateutc" not in keys:
        return None
    flags = {"responsetype": "response_type"}
    layout = _simple("typeform", names, TYPEFORM_META, TYPEFORM_SKIPPED, flags)
    layout.zone = "UTC"
    return layout


MSFORMS_META = {
    "id": "respondent_id", "completiontime": "submitted", "starttime": "started",
    "horadefinalizacion": "submitted", "horadeinicio": "started",
}  # fmt: skip
MSFORMS_SKIPPED = {"email", "name", "lastmodifiedtime", "totalpoints", "quizfeedback",
                   "correoelectronico", "nombre", "horadelaultimamodificacion",
                   "puntostotales", "comentariosdelcuestionario"}  # fmt: skip


def _msforms(head: Sequence[tuple[int, list[str]]]) -> Layout | None:
    names = _cells(head, 0)
    keys = [normalise_header(name) for name in names[:3]]
    if keys[:1] != ["id"] or not {"starttime", "horadeinicio"} & set(keys):
        return None
    return _simple("msforms", names, MSFORMS_META, MSFORMS_SKIPPED, {})


GOOGLE_META = {"timestamp": "submitted", "marcatemporal": "submitted", "marcadetiempo": "submitted"}
GOOGLE_SKIPPED = {"emailaddress", "direcciondecorreoelectronico", "score", "puntuacion"}


def _googleforms(head: Sequence[tuple[int, list[str]]]) -> Layout | None:
    names = _cells(head, 0)
    if not names or normalise_header(names[0]) not in GOOGLE_META:
        return None
    return _simple("googleforms", names, GOOGLE_META, GOOGLE_SKIPPED, {})


def _generic(head: Sequence[tuple[int, list[str]]]) -> Layout:
    names = _cells(head, 0)
    return Layout("generic", 1, list(names), [Column(i, n, n, "", n) for i, n in enumerate(names)])


PRESETS = {
    "qualtrics": _qualtrics, "limesurvey": _limesurvey, "surveymonkey": _surveymonkey,
    "typeform": _typeform, "msforms": _msforms, "googleforms": _googleforms,
}  # fmt: skip


def recognise(head: Sequence[tuple[int, list[str]]], fmt: str = "auto") -> Layout:
    """The layout of an export: the named tool's (ImportFileError when the file is not in its
    layout), or with ``auto`` the first tool that recognises it, else the generic one."""
    if fmt in PRESETS:
        layout = PRESETS[fmt](head)
        if layout is None:
            raise ImportFileError(
                _("This file is not in %(tool)s's export layout (its first rows do not match).")
                % {"tool": FORMAT_NAMES[fmt]}
            )
        return layout
    if fmt == "generic":
        return _generic(head)
    for preset in PRESETS.values():
        found = preset(head)
        if found is not None:
            return found
    return _generic(head)
