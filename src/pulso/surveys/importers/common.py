"""What the Qualtrics and LimeSurvey importers share: parsed exports, column → question
mapping, and the conversion of exported values (codes, labels, numbers) to Pulso answers."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from pulso.core.files import normalise_header, parse_regional_date
from pulso.surveys.importers.scale_labels import label_scores, score_of
from pulso.surveys.models import Question, SurveyVersion

YES_WORDS = {"y", "yes", "si", "s", "1", "true", "x", "selected"}
# What exports write in a score or choice cell nobody answered (normalised): left blank.
NO_ANSWER = {
    "na", "nd", "nsnc", "ns", "nc", "sinrespuesta", "norespuesta", "noanswer", "noresponse",
    "nocontesta", "nosabe", "nosabenocontesta", "prefieronocontestar", "prefernottosay",
    "prefernottoanswer", "dontknow", "idontknow", "notapplicable", "noaplica",
}  # fmt: skip
SEEN_UNANSWERED = "-99"  # Qualtrics' code for a question shown but not answered


@dataclass
class Column:
    """One answer column of an export: ``code`` is the question it belongs to, ``sub`` a
    subquestion or choice code (LimeSurvey ``Q2[SQ001]``), ``text`` its question text."""

    index: int
    name: str
    code: str
    sub: str = ""
    text: str = ""
    sub_text: str = ""


@dataclass
class ExportRow:
    number: int  # the row as a spreadsheet shows it
    meta: dict[str, str]
    cells: list[str]


@dataclass
class Export:
    columns: list[Column]
    rows: list[ExportRow]
    errors: list[tuple[int, str]] = field(default_factory=list)  # unreadable rows


def parse_date(value: str, zone: str = "") -> dt.datetime | None:
    """An export's date (ISO 8601 or ``YYYY-MM-DD HH:MM:SS``), aware: in ``zone`` (the time
    zone the export names, e.g. "America/Mexico_City") when given and known, else in the
    project's time zone."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = parse_regional_date(value)
    if not timezone.is_naive(parsed):
        return parsed
    return timezone.make_aware(parsed, _zone(zone))


def _zone(name: str) -> dt.tzinfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def auto_mapping(columns: list[Column], version: SurveyVersion) -> dict[str, str]:
    """Export question code → Pulso question key, matching codes to keys, then texts."""
    questions = list(version.questions.all())
    by_key = {normalise_header(q.key): q.key for q in questions}
    by_text: dict[str, str] = {}
    for q in questions:
        for text in (q.text_es, q.text_en):
            if text:
                by_text.setdefault(normalise_header(text), q.key)
    mapping: dict[str, str] = {}
    for column in columns:
        if column.code in mapping:
            continue
        found = by_key.get(normalise_header(column.code)) or by_text.get(
            normalise_header(column.text)
        )
        if found and found not in mapping.values():
            mapping[column.code] = found
    return mapping


def _choice_by(question: Question, value: str, sub_position: int | None = None) -> str | None:
    """The choice value an exported code or label stands for, or None."""
    wanted = normalise_header(value)
    choices = question.choices or []
    for choice in choices:
        labels = (choice.get("value"), choice.get("es"), choice.get("en"))
        if wanted in {normalise_header(str(label)) for label in labels if label}:
            return str(choice.get("value"))
    position = sub_position if sub_position is not None else _code_number(value)
    if position is not None and 1 <= position <= len(choices):
        return str(choices[position - 1].get("value"))  # Qualtrics/LimeSurvey recode: 1-based
    return None


def _code_number(value: str) -> int | None:
    match = re.fullmatch(r"\s*[A-Za-z]*0*(\d{1,4})\s*", value)
    return int(match.group(1)) if match else None


def convert_score(question: Question, value: str, labels: Mapping[str, int] | None = None) -> Any:
    """A score from ``"9"``, ``"A9"``, ``"9 - Muy probable"`` or a scale label (``labels``:
    see :func:`column_scales`)."""
    text = value.strip()
    match = re.match(r"^[A-Za-z]{0,3}(\d{1,2})(?:[.,]0+)?(?:\s*[-–:].*)?$", text)
    if match:
        return int(match.group(1))
    score = score_of(text, labels or {})
    return text if score is None else score  # validate_answers explains a bad one


def convert_value(question: Question, value: str, labels: Mapping[str, int] | None = None) -> Any:
    """An exported cell as a raw answer for :func:`validate_answers`."""
    if question.kind in ("nps", "csat", "ces", "rating"):
        return convert_score(question, value, labels)
    if question.kind == Question.Kind.SINGLE:
        return _choice_by(question, value) or value
    if question.kind == Question.Kind.MULTIPLE:
        parts = [part for part in re.split(r"[,;|]", value) if part.strip()]
        return [_choice_by(question, part) or part.strip() for part in parts]
    return value


def column_scales(
    export: Export, mapping: Mapping[str, str], questions: dict[str, Question]
) -> dict[int, dict[str, int]]:
    """Column index → label scores (see :mod:`scale_labels`) of the columns mapped to scale
    questions whose cells hold labels; a column's labels are read together."""
    scales: dict[int, dict[str, int]] = {}
    for column in export.columns:
        question = questions.get(_mapped_key(column, mapping))
        if question is None or column.sub:
            continue
        values = {row.cells[column.index] for row in export.rows if column.index < len(row.cells)}
        scores = label_scores(question, values)
        if scores:
            scales[column.index] = scores
    return scales


def row_answers(
    row: ExportRow,
    columns: list[Column],
    mapping: Mapping[str, str],
    questions: dict[str, Question],
    scales: Mapping[int, Mapping[str, int]] | None = None,
) -> dict[str, Any]:
    """The raw answers of one exported row, by Pulso question key (``scales``: label scores
    by column index, from :func:`column_scales`)."""
    raw: dict[str, Any] = {}
    for column in columns:
        key = _mapped_key(column, mapping)
        # read_table already stripped the cells and dropped NUL bytes from them
        value = row.cells[column.index] if column.index < len(row.cells) else ""
        if key not in questions or not value:
            continue
        question = questions[key]
        if question.kind != Question.Kind.TEXT and _is_no_answer(value):
            continue
        if column.sub and question.kind == Question.Kind.MULTIPLE:
            _add_subquestion(raw, question, column, value)
        elif column.sub.lower() in ("other", "comment") or column.name.endswith("_TEXT"):
            continue  # "other" free texts: there is no place for them in the mapped question
        else:
            raw[key] = convert_value(question, value, (scales or {}).get(column.index))
    return raw


def _mapped_key(column: Column, mapping: Mapping[str, str]) -> str:
    """The Pulso question key a column is mapped to ("" when none)."""
    return mapping.get(column.name) or mapping.get(column.code) or ""


def _is_no_answer(value: str) -> bool:
    word = normalise_header(value)
    return value == SEEN_UNANSWERED or not word or word in NO_ANSWER


def _add_subquestion(raw: dict[str, Any], question: Question, column: Column, value: str) -> None:
    """LimeSurvey multiple choice: one column per option, "Y" (or the label) when chosen."""
    if column.sub.lower() in ("other", "comment"):
        return
    if normalise_header(value) not in YES_WORDS and normalise_header(value) != normalise_header(
        column.sub_text
    ):
        return
    choice = _choice_by(question, column.sub_text or column.sub) or _choice_by(
        question, column.sub, _code_number(column.sub)
    )
    raw.setdefault(question.key, []).append(choice or column.sub)
