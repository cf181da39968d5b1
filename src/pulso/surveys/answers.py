"""Validation of a respondent's answers against the questions of one survey version.

``raw`` maps a question ``key`` to what the respondent gave: an int (or numeric string) for
NPS, CSAT, CES and rating scales, a string for open text and single choice, a list of strings
for multiple choice. Questions hidden by their ``show_if`` condition are not required and
their answers are dropped, so a response never holds an answer to a question it never showed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pulso.core.text import strip_control_characters
from pulso.surveys.models import Question, SurveyVersion

MAX_TEXT_LENGTH = 10_000
NUMERIC_KINDS = frozenset({"nps", "csat", "ces", "rating"})

# A cleaned value: a score, an open text or a single choice, or the chosen values.
CleanValue = int | str | list[str]


class InvalidAnswers(Exception):
    """The answers do not fit the survey; ``errors`` maps question key → message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass
class CleanAnswers:
    """Answers ready to store: one value per shown and answered question, plus denormalised
    scores and comment for the Response row."""

    values: dict[str, CleanValue] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    comment: str = ""

    def answer_fields(self, key: str) -> dict[str, Any]:
        """The Answer model fields (number, text, choices) for one question."""
        value = self.values[key]
        if isinstance(value, list):
            return {"number": None, "text": "", "choices": value}
        if isinstance(value, int):
            return {"number": value, "text": "", "choices": []}
        if self.questions[key].kind == Question.Kind.SINGLE:
            return {"number": None, "text": "", "choices": [value]}
        return {"number": None, "text": value, "choices": []}


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple):
        return all(is_blank(item) for item in value)
    return False


def _clean_number(question: Question, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(_("Enter a whole number."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
    if not isinstance(value, int):
        raise ValueError(_("Enter a whole number."))
    low, high = question.bounds() or (0, 10)
    if not low <= value <= high:
        raise ValueError(_("Value out of range (%(low)s–%(high)s).") % {"low": low, "high": high})
    return value


def _clean_text(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(_("Enter a text."))
    value = strip_control_characters(value).strip()  # NUL and the like carry nothing
    if len(value) > MAX_TEXT_LENGTH:
        raise ValueError(
            _("The answer is too long (at most %(max)s characters).") % {"max": MAX_TEXT_LENGTH}
        )
    return value


def _check_choices(question: Question, values: Iterable[str]) -> None:
    known = {str(choice.get("value")) for choice in question.choices or []}
    for value in values:
        if value not in known:
            raise ValueError(_("Unknown option: %(value)s") % {"value": value})


def _clean_single(question: Question, value: Any) -> str:
    if isinstance(value, list | tuple):
        if len(value) != 1:
            raise ValueError(_("Choose only one option."))
        value = value[0]
    text = _clean_text(value)
    _check_choices(question, [text])
    return text


def _clean_multiple(question: Question, value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value]
    chosen: list[str] = []
    for item in items:
        text = _clean_text(item)
        if text and text not in chosen:
            chosen.append(text)
    _check_choices(question, chosen)
    return chosen


def clean_value(question: Question, value: Any) -> CleanValue:
    """One answer, cleaned for its question; raises ValueError with a translated message."""
    if question.kind in NUMERIC_KINDS:
        return _clean_number(question, value)
    if question.kind == Question.Kind.SINGLE:
        return _clean_single(question, value)
    if question.kind == Question.Kind.MULTIPLE:
        return _clean_multiple(question, value)
    return _clean_text(value)


def _clean_all(
    questions: dict[str, Question], raw: Mapping[str, Any]
) -> tuple[dict[str, CleanValue], dict[str, str]]:
    values: dict[str, CleanValue] = {}
    errors: dict[str, str] = {}
    for key, value in raw.items():
        question = questions.get(key)
        if question is None:
            errors[key] = _("Unknown question: %(key)s") % {"key": key}
        elif not is_blank(value):
            try:
                values[key] = clean_value(question, value)
            except ValueError as exc:
                errors[key] = str(exc)
    return values, errors


def _denormalise(result: CleanAnswers) -> None:
    texts: list[str] = []
    for key, value in result.values.items():
        kind = result.questions[key].kind
        if kind in ("nps", "csat", "ces") and getattr(result, kind) is None:
            setattr(result, kind, value)
        elif kind == Question.Kind.TEXT:
            texts.append(str(value))
    result.comment = "\n\n".join(texts)


def validate_answers(
    version: SurveyVersion, raw: Mapping[str, Any], *, partial: bool = False
) -> CleanAnswers:
    """Clean ``raw`` for ``version``; raise :class:`InvalidAnswers` listing every problem.

    With ``partial`` (a respondent still going through the survey) required questions may be
    missing; everything given must still be valid.
    """
    questions = {q.key: q for q in version.question_list()}
    values, errors = _clean_all(questions, raw)
    result = CleanAnswers()
    for key, question in questions.items():  # in position order, so conditions look back
        if not question.is_shown(values):
            errors.pop(key, None)
            values.pop(key, None)
            continue
        if key in values:
            result.values[key] = values[key]
            result.questions[key] = question
        elif question.required and not partial and key not in errors:
            errors[key] = _("This question is required.")
    if errors:
        raise InvalidAnswers(errors)
    _denormalise(result)
    return result
