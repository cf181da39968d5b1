"""Qualtrics CSV response exports ("Data & Analysis" → Export → CSV).

Three header rows: column ids (``Q1``, ``QID5_TEXT``…), question texts, and
``{"ImportId":"QID1"}`` descriptors (older exports have only the first two). Metadata columns
(``StartDate``, ``Finished``, ``ResponseId``…) come first, then one column per answer.
"""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _

from pulso.core.files import ImportFileError, Table, read_table
from pulso.surveys.importers.common import Column, Export, ExportRow

META = {
    "StartDate": "started",
    "EndDate": "ended",
    "RecordedDate": "submitted",
    "Status": "status",
    "Progress": "progress",
    "Finished": "finished",
    "ResponseId": "external_id",
    "ExternalReference": "customer",
    "DistributionChannel": "channel",
    "UserLanguage": "language",
}
IGNORED = {
    "IPAddress", "Duration (in seconds)", "RecipientLastName", "RecipientFirstName",
    "RecipientEmail", "LocationLatitude", "LocationLongitude", "ResponseID",
}  # fmt: skip
NOT_ANSWERS = re.compile(r"(_NPS_GROUP|_DO|_DO_\d+|^Q_\w+|^SC\d+|^SC0)$")
CHANNELS = {"email": "email", "sms": "sms", "anonymous": "link", "qr": "qr", "gl": "link"}
# Response types that are not real answers: previews, tests and spam (Qualtrics codes and
# labels). "Offline" (16) responses are real: collected with the offline app, e.g. at a kiosk.
SKIPPED_STATUSES = {
    "1", "2", "8", "9", "12", "17", "surveypreview", "surveytest", "spam", "surveypreviewspam",
    "importedspam", "offlinesurveypreview", "offlinepreview",
}  # fmt: skip


def _column(index: int, name: str, text: str) -> Column:
    question_text = text.split(" - ")[0].strip()
    match = re.fullmatch(r"(?P<code>.+?)_(?P<sub>\d+)(?P<text>_TEXT)?", name)
    if match and match.group("text"):  # the free text of an "other" choice
        return Column(index, name, match.group("code"), "other", question_text)
    if match:  # one column per choice ("split multi-value fields")
        return Column(index, name, match.group("code"), match.group("sub"), question_text,
                      text.split(" - ")[-1].strip())  # fmt: skip
    code = name.removesuffix("_TEXT")
    return Column(index, name, code, "", question_text)


def _export_zone(table: Table, header_rows: int) -> str:
    """The time zone the ImportId row gives the dates (``{"ImportId":"recordedDate",
    "timeZone":"America/Bogota"}``), or ""."""
    if header_rows < 1:
        return ""
    for cell in table.rows[header_rows - 1][1]:
        if '"timeZone"' in cell:
            try:
                zone = json.loads(cell).get("timeZone", "")
            except (ValueError, AttributeError):
                continue
            if isinstance(zone, str) and zone:
                return zone
    return ""


def _header_rows(table: Table) -> tuple[list[str], int]:
    """The question-text row and how many rows after the ids are headers (0–2)."""
    rows = [cells for _n, cells in table.rows[:2]]
    if len(rows) >= 2 and any('"ImportId"' in cell for cell in rows[1]):
        return rows[0], 2
    if rows and any('"ImportId"' in cell for cell in rows[0]):
        return [""] * len(table.headers), 1
    if rows and "StartDate" in table.headers:
        start = rows[0][table.headers.index("StartDate")]
        if start and not start[:1].isdigit():
            return rows[0], 1
    return [""] * len(table.headers), 0


def parse(data: bytes, file_name: str = "") -> Export:
    """Read a Qualtrics export; raises ImportFileError when it cannot be read at all."""
    table = read_table(data, file_name)
    texts, header_rows = _header_rows(table)
    zone = _export_zone(table, header_rows)
    columns, meta_index = [], {}
    for index, name in enumerate(table.headers):
        if name in META:
            meta_index[META[name]] = index
        elif name and name not in IGNORED and not NOT_ANSWERS.search(name):
            text = texts[index] if index < len(texts) else ""
            columns.append(_column(index, name, text))
    if "external_id" not in meta_index:
        raise ImportFileError(
            _("This is not a Qualtrics response export: the ResponseId column is missing.")
        )
    export = Export(columns=columns, rows=[])
    for number, cells in table.rows[header_rows:]:
        meta = {key: cells[i] if i < len(cells) else "" for key, i in meta_index.items()}
        export.rows.append(ExportRow(number, _normalise(meta) | {"timezone": zone}, cells))
    return export


def _normalise(meta: dict[str, str]) -> dict[str, str]:
    """Qualtrics metadata in the importer's vocabulary."""
    finished = meta.get("finished", "1").strip().lower()
    status = re.sub(r"[^a-z0-9]", "", meta.get("status", "").lower())
    return {
        "external_id": meta.get("external_id", ""),
        "submitted": meta.get("submitted") or meta.get("ended", ""),
        "started": meta.get("started", ""),
        "complete": "0" if finished in ("0", "false", "falso") else "1",
        "customer": meta.get("customer", ""),
        "channel": CHANNELS.get(meta.get("channel", "").lower(), "import"),
        "language": meta.get("language", "").split("-")[0].split("_")[0].lower(),
        "skip": "1" if status in SKIPPED_STATUSES else "",
    }
