"""The mapping of an export's columns to a survey's questions, and the reading of one row.

The plan starts from the preset (respondent id, dates, status columns) and from columns whose
question code or whole text is a question's key or text; the user's mapping (file or form)
then maps, re-maps or un-maps any column, gives a column its scale and direction, or recodes
values. A value that cannot be read unambiguously rejects its row with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from pulso.core.dates import DATE_ORDERS, AmbiguousDate, parse_export_date
from pulso.core.files import normalise_header
from pulso.core.mapping import POSITION, MappingError, is_placeholder, is_unmapped
from pulso.surveys.importers.bulk import ResponseRow
from pulso.surveys.importers.common import (
    YES_WORDS,
    Column,
    _choice_by,
    _is_no_answer,
    auto_mapping,
    convert_score,
)
from pulso.surveys.importers.presets import META_ROLES, Layout
from pulso.surveys.importers.qualtrics import CHANNELS, SKIPPED_STATUSES
from pulso.surveys.importers.scale_labels import score_of
from pulso.surveys.models import Question, SurveyVersion

SCALE_KINDS = ("nps", "csat", "ces", "rating")
OTHER_WORDS = {"other", "otro", "otros", "otra", "otras"}
OTHER_CODES = {"-oth-"}
SURROGATES = re.compile("[\ud800-\udfff]")
NOT_ALPHANUMERIC = re.compile("[^a-z0-9]")


class RowProblem(ValueError):
    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


@dataclass
class ColumnRule:
    question: str
    scale: tuple[int, int] | None = None
    reverse: bool = False
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    layout: Layout
    questions: dict[str, Question]
    rules: dict[int, ColumnRule] = field(default_factory=dict)
    meta: dict[str, int] = field(default_factory=dict)
    date_order: str = ""
    labels: dict[int, dict[str, int]] = field(default_factory=dict)
    skip_incomplete: bool = False
    # What rows repeat, read once: date cells (a start is often an end too, in another
    # column) and status cells.
    dates: dict[str, Any] = field(default_factory=dict, repr=False)
    statuses: dict[tuple[str, str, str], tuple[bool, bool]] = field(
        default_factory=dict, repr=False
    )

    @cached_property
    def columns(self) -> dict[int, Column]:
        return {column.index: column for column in self.layout.columns}

    @cached_property
    def roles(self) -> dict[str, int]:
        """The column of each role: the mapping's, else the tool's (status columns)."""
        return {**self.layout.flags, **self.meta}

    @cached_property
    def role_cells(self) -> Callable[[Sequence[str]], tuple[str, ...]]:
        """The cells of ``READ_ROLES`` in a row padded past the header's width (a role
        without a column reads the empty cell there)."""
        width = len(self.layout.headers)
        return operator.itemgetter(*(self.roles.get(role, width) for role in READ_ROLES))

    def describe(self) -> list[tuple[str, str]]:
        """(column header, what it is read as) for every mapped column, in file order."""
        names = {i: role for role, i in self.meta.items()}
        names.update({i: rule.question for i, rule in self.rules.items()})
        return [(self.layout.headers[i] or f"#{i + 1}", names[i]) for i in sorted(names)]


def _resolve(layout: Layout, ref: str) -> list[int]:
    """The columns a mapping entry names: ``#N``, a whole header, a question code or text."""
    position = POSITION.match(ref.strip())
    if position:
        index = int(position.group(1)) - 1
        if 0 <= index < len(layout.headers):
            return [index]
        raise MappingError(_("The file has no column %(ref)s.") % {"ref": ref})
    wanted = normalise_header(ref)
    by_name = [i for i, name in enumerate(layout.headers) if normalise_header(name) == wanted]
    if len(by_name) > 1:
        positions = ", ".join(f"#{i + 1}" for i in by_name)
        raise MappingError(
            _(
                "The header “%(column)s” is in several columns (%(positions)s): "
                "name one by its position."
            )
            % {"column": ref, "positions": positions}
        )
    if by_name:
        return by_name
    for attribute in ("code", "text"):
        found = [
            c.index for c in layout.columns if normalise_header(getattr(c, attribute)) == wanted
        ]
        if wanted and found:
            return found
    raise MappingError(_("The file has no column “%(column)s”.") % {"column": ref})


def _rule(target: Any, questions: Mapping[str, Question]) -> ColumnRule:
    spec = target if isinstance(target, dict) else {"question": target}
    key = str(spec.get("question") or "")
    question = questions.get(key)
    if question is None:
        raise MappingError(_("The survey has no question “%(key)s”.") % {"key": key})
    rule = ColumnRule(key, reverse=bool(spec.get("reverse", False)))
    rule.values = {str(k): str(v) for k, v in (spec.get("values") or {}).items()}
    if spec.get("scale") is not None:
        rule.scale = _scale(spec["scale"], question)
    elif rule.reverse and question.kind in SCALE_KINDS:
        rule.scale = question.bounds()
    return rule


def _scale(value: Any, question: Question) -> tuple[int, int]:
    try:
        low, high = (int(v) for v in (value.split("-") if isinstance(value, str) else value))
    except (TypeError, ValueError):
        raise MappingError(_("Write a scale as [lowest, highest], e.g. [1, 5].")) from None
    bounds = question.bounds()
    if bounds is None or high - low != bounds[1] - bounds[0] or high <= low:
        raise MappingError(
            _("Column scale %(low)s–%(high)s does not fit question “%(key)s” (%(bounds)s).")
            % {"low": low, "high": high, "key": question.key,
               "bounds": "–".join(map(str, bounds)) if bounds else _("not a scale")}
        )  # fmt: skip
    return low, high


def build_plan(
    layout: Layout, version: SurveyVersion, spec: Mapping[str, Any] | None, date_order: str = ""
) -> Plan:
    """The plan for reading ``layout``'s rows into ``version``; MappingError when ``spec``
    (a mapping file's content) cannot be applied."""
    questions = {q.key: q for q in version.questions.all()}
    plan = Plan(layout, questions, meta=dict(layout.meta))
    by_code = auto_mapping(layout.columns, version) if layout.tool != "generic" else {}
    for column in layout.columns:
        key = by_code.get(column.code)
        if key:
            plan.rules[column.index] = ColumnRule(key)
    spec = dict(spec or {})
    entries = spec.get(
        "columns", {k: v for k, v in spec.items() if k not in ("format", "date_order")}
    )
    for ref, target in dict(entries or {}).items():
        _apply(plan, str(ref), target)
    plan.date_order = date_order or str(spec.get("date_order") or "")
    if plan.date_order and plan.date_order not in DATE_ORDERS:
        raise MappingError(_("The date order must be dmy, mdy or ymd."))
    _check(plan)
    return plan


def _apply(plan: Plan, ref: str, target: Any) -> None:
    indexes = _resolve(plan.layout, ref)
    for index in indexes:
        plan.rules.pop(index, None)
        for role in [r for r, i in plan.meta.items() if i == index]:
            del plan.meta[role]
    if is_unmapped(target):
        return
    if isinstance(target, str) and target in META_ROLES:
        plan.meta[target] = indexes[0]
        return
    rule = _rule(target, plan.questions)
    for index in indexes:
        plan.rules[index] = rule


def _check(plan: Plan) -> None:
    if "submitted" not in plan.meta and "started" not in plan.meta:
        raise MappingError(
            _(
                "Map the column with the date each response was given (submitted), "
                "e.g. “Fecha: submitted”."
            )
        )
    if not plan.rules:
        raise MappingError(_("No column is mapped to a question of the survey."))


def _number(text: str) -> int | None:
    match = re.fullmatch(r"\s*(-?\d{1,3})(?:[.,]0+)?\s*", text)
    return int(match.group(1)) if match else None


def _score(plan: Plan, index: int, rule: ColumnRule, question: Question, value: str) -> Any:
    if rule.scale is None:
        return convert_score(question, value, plan.labels.get(index))
    number = _number(value)
    if number is None:
        number = score_of(value, plan.labels.get(index, {}))
    low, high = rule.scale
    if number is None or not low <= number <= high:
        message = _("“%(value)s” is not on the column's %(low)s–%(high)s scale")
        raise RowProblem({rule.question: message % {"value": value, "low": low, "high": high}})
    bounds = question.bounds() or (low, high)
    return bounds[1] - (number - low) if rule.reverse else bounds[0] + (number - low)


def _choice(rule: ColumnRule, question: Question, value: str) -> str:
    found = _choice_by(question, value)
    if found:
        return found
    if value in OTHER_CODES or normalise_header(value) in OTHER_WORDS:
        for choice in question.choices or []:
            labels = {normalise_header(str(choice.get(k) or "")) for k in ("value", "es", "en")}
            if labels & OTHER_WORDS:
                return str(choice.get("value"))
        message = _(
            "the answer is “Other” and question “%(key)s” has no such option; "
            "recode it in the mapping (values)"
        )
        raise RowProblem({rule.question: message % {"key": rule.question}})
    return value  # validate_answers names the unknown option


def _cell_answer(plan: Plan, index: int, rule: ColumnRule, value: str, raw: dict[str, Any]) -> None:
    question = plan.questions[rule.question]
    column = plan.columns.get(index)
    value = rule.values.get(value, value)
    if question.kind in SCALE_KINDS:
        raw[rule.question] = _score(plan, index, rule, question, value)
    elif question.kind == Question.Kind.MULTIPLE:
        chosen = raw.setdefault(rule.question, [])
        if column is not None and column.sub:  # one column per option
            if normalise_header(value) in YES_WORDS or normalise_header(value) == normalise_header(
                column.sub_text or column.sub
            ):
                chosen.append(_choice(rule, question, column.sub_text or column.sub))  # fmt: skip
            return
        parts = [
            p.strip() for p in re.split(r"[;|]" if ";" in value else r"[,|]", value) if p.strip()
        ]
        chosen.extend(_choice(rule, question, rule.values.get(p, p)) for p in parts)
    elif question.kind == Question.Kind.SINGLE:
        raw[rule.question] = _choice(rule, question, value)
    else:
        previous = raw.get(rule.question)
        raw[rule.question] = f"{previous}\n{value}" if previous else value


def row_answers(plan: Plan, cells: Sequence[str]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for index, rule in plan.rules.items():
        value = cells[index] if index < len(cells) else ""
        if not value:
            continue
        if value.isdigit() and not rule.values and index not in plan.labels:  # most scores
            question = plan.questions[rule.question]
            if question.kind in SCALE_KINDS and rule.scale is None:
                raw[rule.question] = int(value)
                continue
        column = plan.columns.get(index)
        if is_placeholder(value) or (column is not None and column.sub == "other"):
            continue
        if plan.questions[rule.question].kind != Question.Kind.TEXT and _is_no_answer(value):
            continue
        try:
            _cell_answer(plan, index, rule, value, raw)
        except RowProblem as exc:
            errors.update(exc.errors)
    if errors:
        raise RowProblem(errors)
    return {key: value for key, value in raw.items() if value != []}


# The roles a row is read for, in the order Plan.role_cells gives their cells.
READ_ROLES = ("status", "finished", "response_type", "started", "submitted", "ended",
              "language", "channel", "respondent_id", "customer")  # fmt: skip


REMEMBERED = 10_000  # distinct date or status cells kept at most


def _date(plan: Plan, text: str) -> dt.datetime | None:
    """:func:`parse_export_date` in the plan's order and zone, once per distinct cell."""
    try:
        return plan.dates[text]
    except KeyError:
        if len(plan.dates) >= REMEMBERED:
            plan.dates.clear()
        parsed = plan.dates[text] = parse_export_date(text, plan.date_order, plan.layout.zone)
        return parsed


def _read_status(status: str, finished: str, kind: str) -> tuple[bool, bool]:
    finished, kind = finished.strip().lower(), kind.strip().lower()
    complete = finished not in ("0", "false", "falso") and kind != "partial"
    return NOT_ALPHANUMERIC.sub("", status.lower()) in SKIPPED_STATUSES, complete


def _status(plan: Plan, status: str, finished: str, kind: str, submitted: str) -> tuple[bool, bool]:
    """(skip the row, complete) from the tool's status columns."""
    key = (status, finished, kind)
    found = plan.statuses.get(key)
    if found is None:
        if len(plan.statuses) >= REMEMBERED:
            plan.statuses.clear()
        found = plan.statuses[key] = _read_status(*key)
    if plan.layout.tool == "limesurvey":
        return found[0], bool(submitted.strip())
    return found


def _external_id(given: str, cells: Sequence[str]) -> str:
    if given:
        return given[:100]
    # no respondent id (Google Forms): the row itself, so that re-importing stores nothing twice
    digest = hashlib.sha256("\x1f".join(cells).encode("utf-8", "surrogatepass")).hexdigest()
    return f"row-{digest[:40]}"


def read_row(plan: Plan, number: int, cells: list[str]) -> ResponseRow | None:
    """The response of one data row, None when the tool marks it as not a real answer
    (preview, test, spam) or it is unfinished and unfinished ones are skipped. Raises
    RowProblem (reasons by field) or AmbiguousDate (the whole file needs a date order)."""
    width = len(plan.layout.headers)
    if any(cells[width:]):
        raise RowProblem({"row": _("the row has more cells than the file has columns")})
    if not "".join(cells).isascii() and SURROGATES.search("".join(cells)):
        raise RowProblem({"row": _("bad encoding: the row has characters that cannot be read")})
    padded = cells if len(cells) > width else [*cells, *[""] * (width + 1 - len(cells))]
    (status, finished, kind, started_cell, submitted_cell, ended_cell, language, channel,
     given_id, customer) = plan.role_cells(padded)  # fmt: skip
    skip, complete = _status(plan, status, finished, kind, submitted_cell)
    if skip or (plan.skip_incomplete and not complete):
        return None
    answers = row_answers(plan, cells)
    if not answers:
        raise RowProblem({"row": _("The row has no answers to the mapped questions.")})
    try:
        started = _date(plan, started_cell)
        submitted = _date(plan, submitted_cell or ended_cell)
    except AmbiguousDate:
        raise
    except ValueError as exc:
        raise RowProblem({"date": str(exc)}) from None
    if submitted is None and started is None:
        raise RowProblem({"date": _("the row has no date")})
    language = language.split("-")[0].split("_")[0].lower()
    return ResponseRow(
        index=number, answers=answers, submitted_at=submitted or started,
        started_at=started or submitted, complete=complete,
        external_id=_external_id(given_id, cells), customer=customer[:100],
        channel=CHANNELS.get(channel.lower(), "import"),
        language=language if language in ("es", "en") else "es",
    )  # fmt: skip
