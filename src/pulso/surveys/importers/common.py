"""What every tool's import shares: the answer columns of an export, column → question
mapping, and the conversion of exported values (codes, labels, numbers) to Pulso answers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulso.core.files import normalise_header
from pulso.surveys.importers.scale_labels import score_of
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


def _is_no_answer(value: str) -> bool:
    """A cell that says nobody answered: blank, Qualtrics' "seen, not answered" code, or a
    "don't know / no answer" word (see NO_ANSWER)."""
    word = normalise_header(value)
    return value == SEEN_UNANSWERED or not word or word in NO_ANSWER
