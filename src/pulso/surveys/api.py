"""Surveys and responses in the REST API: read surveys, record and list responses."""

import datetime as dt
from collections import defaultdict
from typing import Annotated, Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.core.apiutils import (
    BATCH_ERRORS,
    Pagination,
    Problem,
    batch_body,
    batch_items,
    read_json_body,
    require,
)
from pulso.customers.models import Customer
from pulso.feedback.api import day_start
from pulso.feedback.ingest import Lookups, Moment, Text, aware, pydantic_errors, without_nul
from pulso.feedback.privacy import comment_privacy
from pulso.surveys import actions
from pulso.surveys.answers import InvalidAnswers
from pulso.surveys.distribution.api import router as invitations_router
from pulso.surveys.importers.bulk import BulkResult, ResponseRow, bulk_record_responses
from pulso.surveys.models import Answer, Channel, Response, Survey

surveys_router = Router(tags=["surveys"])
responses_router = Router(tags=["responses"])
routers = [
    ("/surveys", surveys_router),
    ("/responses", responses_router),
    ("/invitations", invitations_router),
]

MAX_RESPONSE_BATCH = 10_000
Id = Annotated[int, Field(ge=1, le=2**62)]


class QuestionOut(Schema):
    key: str
    kind: str
    text_es: str
    text_en: str
    required: bool
    position: int
    scale_min: int | None
    scale_max: int | None
    choices: list[Any]
    show_if: dict[str, Any]


class VersionOut(Schema):
    number: int
    title_es: str
    title_en: str
    published_at: dt.datetime | None
    questions: list[QuestionOut]


class SurveyOut(Schema):
    id: int
    name: str
    status: str
    audience: str
    touchpoint_id: int
    org_unit_id: int | None
    public_token: str
    current_version: VersionOut | None


class ResponseIn(BaseModel):
    """One response: ``answers`` maps question keys to scores, texts or chosen values."""

    model_config = ConfigDict(extra="forbid", str_max_length=20_000)

    _no_nul = model_validator(mode="before")(without_nul)

    survey: Id
    answers: dict[str, Any] = Field(max_length=500)
    channel: Channel = Channel.API
    org_unit: Id | Annotated[str, Field(min_length=1, max_length=64)] | None = None
    customer: Annotated[Text, Field(min_length=1, max_length=100)] | None = None
    language: Annotated[Text, Field(max_length=5)] = "es"
    submitted_at: Moment | None = None
    complete: bool = True
    external_id: Annotated[Text, Field(max_length=100)] = ""
    segment: Annotated[Text, Field(max_length=60)] = ""


class ResponseOut(Schema):
    id: int
    survey_id: int
    version_id: int
    touchpoint_id: int
    journey_id: int
    org_unit_id: int | None
    customer_id: int | None
    channel: str
    language: str
    segment: str
    is_complete: bool
    submitted_at: dt.datetime
    nps: int | None
    csat: int | None
    ces: int | None
    comment: str
    external_id: str
    answers: dict[str, Any]

    @staticmethod
    def resolve_comment(obj: Response, context: dict[str, Any]) -> str:
        privacy = comment_privacy(context["request"].user)
        return privacy.text(obj.comment, feedback_id=obj.feedback_id, unit_id=obj.org_unit_id)

    @staticmethod
    def resolve_answers(obj: Response, context: dict[str, Any]) -> dict[str, Any]:
        privacy = comment_privacy(context["request"].user)
        answers = {answer.question.key: answer_value(answer) for answer in obj.answers.all()}
        return {
            key: privacy.text(value, feedback_id=obj.feedback_id, unit_id=obj.org_unit_id)
            if isinstance(value, str)
            else value
            for key, value in answers.items()
        }


class Rejected(Schema):
    index: int
    errors: dict[str, str]


class ResponseBatchOut(Schema):
    accepted: int
    created: int
    skipped: int
    rejected: list[Rejected]


class ResponseFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    survey: Id | None = None
    touchpoint: Id | None = None
    journey: Id | None = None
    org_unit: Id | None = None
    channel: str | None = None
    complete: bool | None = None


def answer_value(answer: Answer) -> Any:
    if answer.number is not None:
        return answer.number
    if answer.question.kind == "single":
        return answer.choices[0] if answer.choices else ""
    return answer.choices if answer.question.kind == "multiple" else answer.text


def _surveys(user: AnyUser) -> QuerySet[Survey]:
    return (
        Survey.objects.visible_to(user)
        .select_related("current_version")
        .prefetch_related("current_version__questions")
        .order_by("name", "pk")
    )


@surveys_router.get("/", response=list[SurveyOut])
@paginate(Pagination)
def list_surveys(request: HttpRequest, status: Survey.Status | None = None) -> QuerySet[Survey]:
    """Surveys the caller may see, with the questions of their current version."""
    require(request, "surveys.view_survey")
    surveys = _surveys(request.user)
    return surveys.filter(status=status) if status else surveys


@surveys_router.get("/{survey_id}", response={200: SurveyOut, 404: Problem})
def get_survey(request: HttpRequest, survey_id: int = Path(..., ge=1, le=2**62)) -> Survey:
    require(request, "surveys.view_survey")
    return get_object_or_404(_surveys(request.user), pk=survey_id)


class OutsideUnits(ValueError):
    """The response would be recorded in an org unit where the caller may not add responses."""


class UnknownUnit(ValueError):
    """The response names an org unit that does not exist."""


def _org_unit(ref: int | str | None, lookups: Lookups, survey_unit: str | None) -> int | None:
    """The unit a response is recorded in, once the caller may write there. Without one it
    is recorded in the survey's unit (``survey_unit``, a path), or company-wide."""
    if ref is None:
        if not lookups.may_write(survey_unit):
            raise OutsideUnits(
                _("Name the org unit: you may only add responses to your own organisation units.")
            )
        return None
    try:
        unit_id, path = lookups.unit(ref)
    except ValueError as exc:
        raise UnknownUnit(str(exc)) from None
    if not lookups.may_write(path):
        raise OutsideUnits(_("You may only add responses to your own organisation units."))
    return unit_id


def _record_one(request: HttpRequest, payload: ResponseIn) -> Response:
    survey = get_object_or_404(Survey.objects.visible_to(request.user), pk=payload.survey)
    lookups = Lookups.load(request.user, "surveys.add_response")
    survey_unit = survey.org_unit.path if survey.org_unit else None
    unit_id = _org_unit(payload.org_unit, lookups, survey_unit)
    customer = None
    if payload.customer:
        customer, _created = Customer.objects.get_or_create(external_id=payload.customer)
    return actions.do_record_response(
        survey,
        payload.answers,
        channel=payload.channel.value,
        org_unit=OrgUnit.objects.get(pk=unit_id) if unit_id else None,
        customer=customer,
        language=payload.language or "es",
        submitted_at=aware(payload.submitted_at),
        complete=payload.complete,
        external_id=payload.external_id,
        segment=payload.segment,
    )


@responses_router.post(
    "/", response={201: ResponseOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
)
def post_response(request: HttpRequest, payload: ResponseIn) -> Status[Any]:
    """Record one response. The answers must fit the questions of the survey's published
    version (their keys, kinds, scales and required questions); 422 lists the problem of each
    question."""
    require(request, "surveys.add_response")
    try:
        with transaction.atomic():  # what is stored is what the caller may read back
            response = _record_one(request, payload)
            stored = _responses(request.user).get(pk=response.pk)
    except (OutsideUnits, UnknownUnit) as exc:
        status = 403 if isinstance(exc, OutsideUnits) else 404
        return Status(status, {"detail": str(exc), "errors": {"org_unit": str(exc)}})
    except InvalidAnswers as exc:
        return Status(422, {"detail": _("The answers are not valid."), "errors": exc.errors})
    except actions.SurveyNotPublished as exc:
        return Status(409, {"detail": str(exc), "errors": {"survey": str(exc)}})
    except actions.DuplicateResponse as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, stored)


def _rows_by_survey(
    items: list[Any], lookups: Lookups, surveys: dict[int, Survey], rejected: list[dict[str, Any]]
) -> dict[int, list[ResponseRow]]:
    by_survey: dict[int, list[ResponseRow]] = defaultdict(list)
    units = {pk: s.org_unit.path if s.org_unit else None for pk, s in surveys.items()}
    for index, raw in enumerate(items):
        try:
            item = ResponseIn.model_validate(raw)
            # an unknown survey is reported as such by _record_rows
            unit_id = (
                _org_unit(item.org_unit, lookups, units[item.survey])
                if item.survey in units
                else None
            )
        except ValidationError as exc:
            rejected.append({"index": index, "errors": pydantic_errors(exc)})
            continue
        except ValueError as exc:
            rejected.append({"index": index, "errors": {"org_unit": str(exc)}})
            continue
        by_survey[item.survey].append(_row(index, item, unit_id))
    return by_survey


def _row(index: int, item: ResponseIn, unit_id: int | None) -> ResponseRow:
    return ResponseRow(
        index=index,
        answers=item.answers,
        submitted_at=aware(item.submitted_at),
        complete=item.complete,
        external_id=item.external_id,
        org_unit_id=unit_id,
        customer=item.customer or "",
        channel=item.channel.value,
        language=item.language or "es",
        segment=item.segment,
    )


@responses_router.post(
    "/batch",
    response={200: ResponseBatchOut, 207: ResponseBatchOut, **BATCH_ERRORS},
    openapi_extra={"requestBody": batch_body("ResponseIn", MAX_RESPONSE_BATCH)},
)
def post_response_batch(request: HttpRequest) -> Status[Any]:
    """Record up to 10,000 responses: valid ones are stored, each invalid one is reported by
    index, and those whose external id is already stored for the survey are skipped."""
    require(request, "surveys.add_response")
    items = batch_items(read_json_body(request), MAX_RESPONSE_BATCH)
    rejected: list[dict[str, Any]] = []
    surveys = Survey.objects.visible_to(request.user).select_related("org_unit").in_bulk()
    lookups = Lookups.load(request.user, "surveys.add_response")
    by_survey = _rows_by_survey(items, lookups, surveys, rejected)
    created = skipped = 0
    for survey_id, rows in by_survey.items():
        result = _record_rows(surveys.get(survey_id), rows)
        created, skipped = created + result.created, skipped + result.skipped
        rejected.extend(result.rejected)
    body = {
        "accepted": created + skipped,
        "created": created,
        "skipped": skipped,
        "rejected": sorted(rejected, key=lambda r: r["index"]),
    }
    return Status(207 if rejected else 200, body)


def _record_rows(survey: Survey | None, rows: list[ResponseRow]) -> BulkResult:
    if survey is None:
        result = BulkResult()
        for row in rows:
            result.reject(row.index, {"survey": _("Unknown survey.")})
        return result
    try:
        return bulk_record_responses(survey, rows)
    except actions.SurveyNotPublished as exc:
        result = BulkResult()
        for row in rows:
            result.reject(row.index, {"survey": str(exc)})
        return result


def _responses(user: AnyUser) -> QuerySet[Response]:
    """Responses ``user`` may see, with their answers."""
    answers = Answer.objects.select_related("question")
    visible = Response.objects.visible_to(user)
    return visible.prefetch_related(Prefetch("answers", queryset=answers))


def filter_responses(responses: QuerySet[Response], filters: ResponseFilters) -> QuerySet[Response]:
    """Period, place and unit are read on the responses' feedback records; survey, channel and
    completion on the responses themselves."""
    if filters.date_from:
        responses = responses.filter(feedback__received_at__gte=day_start(filters.date_from))
    if filters.date_to and filters.date_to < dt.date.max:
        next_day = day_start(filters.date_to + dt.timedelta(days=1))
        responses = responses.filter(feedback__received_at__lt=next_day)
    if filters.org_unit is not None:
        responses = responses.filter(feedback__org_unit__path__contains=f"/{filters.org_unit}/")
    exact: dict[str, object] = {
        "survey_id": filters.survey,
        "feedback__touchpoint_id": filters.touchpoint,
        "feedback__journey_id": filters.journey,
        "channel": filters.channel,
        "is_complete": filters.complete,
    }
    return responses.filter(**{key: value for key, value in exact.items() if value is not None})


@responses_router.get("/", response=list[ResponseOut])
@paginate(Pagination)
def list_responses(request: HttpRequest, filters: Query[ResponseFilters]) -> QuerySet[Response]:
    """Responses the caller may see, newest first, filtered, with their answers."""
    require(request, "surveys.view_response")
    responses = _responses(request.user).order_by("-submitted_at", "-pk")
    return filter_responses(responses, filters)


@responses_router.get("/{response_id}", response={200: ResponseOut, 404: Problem})
def get_response(request: HttpRequest, response_id: int = Path(..., ge=1, le=2**62)) -> Response:
    require(request, "surveys.view_response")
    return get_object_or_404(_responses(request.user), pk=response_id)
