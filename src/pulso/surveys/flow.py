"""The page-by-page flow of a public survey, computed on the server (no JavaScript needed).

A question whose ``show_if`` refers to a question of the current page starts a new page, so
every condition is decided by answers already submitted: after the NPS page, only the
follow-up of the respondent's group is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from pulso.surveys.answers import NUMERIC_KINDS, InvalidAnswers, validate_answers
from pulso.surveys.models import Question, SurveyVersion

# Words at both ends of the standard scales, so respondents know which end is good.
SCALE_ENDS = {
    "nps": (_("Not at all likely"), _("Extremely likely")),
    "csat": (_("Very dissatisfied"), _("Very satisfied")),
    "ces": (_("Very difficult"), _("Very easy")),
    "rating": (_("Lowest"), _("Highest")),
}


def split_pages(questions: list[Question]) -> list[list[Question]]:
    pages: list[list[Question]] = [[]]
    for question in questions:
        target = (question.show_if or {}).get("question")
        if target and any(q.key == target for q in pages[-1]):
            pages.append([])
        pages[-1].append(question)
    return [page for page in pages if page]


def visible(page: list[Question], values: Mapping[str, Any]) -> list[Question]:
    return [q for q in page if q.is_shown(values)]


def next_page(pages: list[list[Question]], after: int, values: Mapping[str, Any]) -> int | None:
    """Index of the first page after ``after`` with a question to show, or None."""
    for index in range(after + 1, len(pages)):
        if visible(pages[index], values):
            return index
    return None


def previous_page(pages: list[list[Question]], before: int, values: Mapping[str, Any]) -> int:
    for index in range(min(before, len(pages)) - 1, -1, -1):
        if visible(pages[index], values):
            return index
    return 0


def page_values(
    version: SurveyVersion, shown: list[Question], values: Mapping[str, Any]
) -> dict[str, Any]:
    """The cleaned answers given so far (``values``), once those of one page (``shown``, its
    visible questions) are valid and each required one is answered; raises
    :class:`InvalidAnswers` with that page's errors otherwise. Questions of later pages are not
    asked yet, so their blanks are no error here."""
    try:
        return validate_answers(version, values).values  # complete: the answers as they are
    except InvalidAnswers as exc:
        keys = {question.key for question in shown}
        errors = {key: message for key, message in exc.errors.items() if key in keys}
        if errors:
            raise InvalidAnswers(errors) from None
    return validate_answers(version, values, partial=True).values


def page_with_errors(
    pages: list[list[Question]], errors: Mapping[str, str], values: Mapping[str, Any], current: int
) -> int:
    """The first page showing a question with an error, so the error is seen beside its
    question; ``current`` when no page shows one."""
    for index, page in enumerate(pages):
        if any(question.key in errors for question in visible(page, values)):
            return index
    return current


def raw_from_post(questions: list[Question], data: QueryDict) -> dict[str, Any]:
    """The answers of ``questions`` in a submitted form; missing ones count as blank."""
    return {
        q.key: data.getlist(q.key) if q.kind == Question.Kind.MULTIPLE else data.get(q.key, "")
        for q in questions
    }


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    id: str


@dataclass
class QuestionView:
    """What the template needs to render one question in one language."""

    question: Question
    text: str
    options: list[Option] = field(default_factory=list)
    value: str = ""
    error: str = ""
    low_label: str = ""
    high_label: str = ""

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def is_scale(self) -> bool:
        return self.question.kind in NUMERIC_KINDS

    @property
    def is_text(self) -> bool:
        return self.question.kind == Question.Kind.TEXT


def _options(question: Question, given: Any, language: str) -> list[Option]:
    chosen = {str(v) for v in given} if isinstance(given, list) else {str(given)}
    if question.kind in NUMERIC_KINDS:
        low, high = question.bounds() or (0, 10)
        pairs = [(str(n), str(n)) for n in range(low, high + 1)]
    else:
        pairs = [(str(c.get("value")), question.choice_label(str(c.get("value")), language))
                 for c in question.choices or []]  # fmt: skip
    return [
        Option(value, label, value in chosen, f"q-{question.key}-{i}")
        for i, (value, label) in enumerate(pairs)
    ]


def question_view(question: Question, given: Any, error: str, language: str) -> QuestionView:
    english = language == "en"
    text = (question.text_en if english else "") or question.text_es
    view = QuestionView(question, text, _options(question, given, language), error=error)
    if view.is_text:
        view.value = "" if given is None else str(given)
    if question.kind in SCALE_ENDS:
        low, high = SCALE_ENDS[question.kind]
        view.low_label, view.high_label = str(low), str(high)
    return view
