"""Qualtrics CSV response exports ("Data & Analysis" → Export → CSV): the metadata columns
and status codes, and how an answer column's id reads (see :mod:`presets` for the layouts).

Three header rows: column ids (``Q1``, ``QID5_TEXT``…), question texts, and
``{"ImportId":"QID1"}`` descriptors (older exports have only the first two). Metadata columns
(``StartDate``, ``Finished``, ``ResponseId``…) come first, then one column per answer.
"""

from __future__ import annotations

import re

from pulso.surveys.importers.common import Column

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
