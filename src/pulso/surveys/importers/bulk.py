"""Recording many survey responses at once (API batches, historical imports).

Each row is validated with :func:`pulso.surveys.answers.validate_answers`, exactly as
:func:`pulso.surveys.actions.do_record_response` does for one response, then the valid ones are
stored with two ``bulk_create`` calls (responses, then answers) carrying the same denormalised
columns (scores, comment, journey, touchpoint, org unit, segment), as one bulk write
(:func:`pulso.core.bulk.bulk_insert`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pulso.core.bulk import bulk_insert
from pulso.customers.models import Customer
from pulso.feedback.events import publish_recorded
from pulso.surveys.actions import SurveyNotPublished
from pulso.surveys.answers import CleanAnswers, InvalidAnswers, validate_answers
from pulso.surveys.models import Answer, Response, Survey, SurveyVersion

CHUNK = 1_000


@dataclass
class ResponseRow:
    """One response to store; ``index`` is its position in the batch or its row in a file."""

    index: int
    answers: Mapping[str, Any]
    submitted_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    complete: bool = True
    external_id: str = ""
    org_unit_id: int | None = None
    customer: str = ""  # external id of the customer
    channel: str = "import"
    language: str = "es"
    segment: str = ""


@dataclass
class BulkResult:
    created: int = 0
    skipped: int = 0  # already imported (same external id)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)

    def reject(self, index: int, errors: Mapping[str, str]) -> None:
        self.rejected.append({"index": index, "errors": dict(errors)})


def published_version(survey: Survey) -> SurveyVersion:
    """The version answers are validated against, with its questions loaded once."""
    version = None
    if survey.current_version_id is not None:
        versions = SurveyVersion.objects.prefetch_related("questions")
        version = versions.filter(pk=survey.current_version_id, published_at__isnull=False).first()
    if version is None:
        raise SurveyNotPublished(_("The survey has not been published yet."))
    return version


def customers_by_external_id(external_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """(id, segment) of the customers with these external ids, those missing created."""
    wanted = sorted({ext for ext in external_ids if ext})
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for ext, pk, segment in Customer.objects.filter(external_id__in=chunk).values_list(
            "external_id", "pk", "segment"
        ):
            found[ext] = (pk, segment)
    missing = [Customer(external_id=ext) for ext in wanted if ext not in found]
    Customer.objects.bulk_create(missing, batch_size=CHUNK, ignore_conflicts=True)
    if missing:
        created = Customer.objects.filter(external_id__in=[c.external_id for c in missing])
        found.update({ext: (pk, "") for ext, pk in created.values_list("external_id", "pk")})
    return found


def known_external_ids(survey: Survey, external_ids: Iterable[str]) -> set[str]:
    """Those of ``external_ids`` already stored for ``survey``: one query for the whole batch,
    the ids sent as one array (SQLite: JSON read by ``json_each``), each looked up in the
    partial unique index (survey, external id), whose condition the query repeats."""
    ids = sorted({ext for ext in external_ids if ext})
    if not ids:
        return set()
    table = connection.ops.quote_name(Response._meta.db_table)
    param: object
    if connection.vendor == "postgresql":
        wanted, param = "= ANY(%s)", ids
    else:
        wanted, param = "IN (SELECT value FROM json_each(%s))", json.dumps(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT external_id FROM {table} WHERE survey_id = %s "  # noqa: S608
            f"AND NOT (external_id = '') AND external_id {wanted}",
            [survey.pk, param],
        )
        return {external_id for (external_id,) in cursor.fetchall()}


def survey_values(survey: Survey, version: SurveyVersion) -> dict[str, Any]:
    """The field values every response of ``survey`` stores alike (see
    :func:`response_values`), read once per batch."""
    return {
        "survey_id": survey.pk,
        "version_id": version.pk,
        "touchpoint_id": survey.touchpoint_id,
        "journey_id": survey.touchpoint.stage.journey_id,
        "org_unit_id": survey.org_unit_id,
    }


def response_values(
    survey: dict[str, Any], row: ResponseRow, clean: CleanAnswers, customer: tuple[int, str] | None
) -> dict[str, Any]:
    """The field values (by attname) of the response stored for ``row``; ``survey``: its
    :func:`survey_values`."""
    submitted = row.submitted_at or timezone.now()
    return {
        **survey,
        "org_unit_id": row.org_unit_id or survey["org_unit_id"],
        "customer_id": customer[0] if customer else None,
        "channel": row.channel,
        "language": (row.language or "es")[:5],
        "segment": (row.segment or (customer[1] if customer else ""))[:60],
        "is_complete": row.complete,
        "started_at": row.started_at or submitted,
        "submitted_at": submitted,
        "nps": clean.nps,
        "csat": clean.csat,
        "ces": clean.ces,
        "comment": clean.comment,
        "external_id": row.external_id,
    }


class ResponseValidator:
    """:func:`validate_answers` for rows of one version, once per distinct set of scores: rows
    that hold only scores repeat (NPS × CSAT gives 55 sets), and the result depends on nothing
    else. Rows holding any text are validated each time."""

    def __init__(self, version: SurveyVersion) -> None:
        self.version, self.seen = version, dict[tuple[Any, ...], CleanAnswers]()

    def __call__(self, row: ResponseRow) -> CleanAnswers:
        answers, partial = row.answers, not row.complete
        if not {*map(type, answers.values())} <= {int}:  # not scores only
            return validate_answers(self.version, answers, partial=partial)
        key = (partial, *answers.items())
        clean = self.seen.get(key)
        if clean is None:
            clean = self.seen[key] = validate_answers(self.version, answers, partial=partial)
        return clean


def validate_rows(
    survey: Survey, version: SurveyVersion, rows: Sequence[ResponseRow], result: BulkResult
) -> list[tuple[dict[str, Any], CleanAnswers]]:
    """(response values, clean answers) of the valid rows not stored yet; the others are
    counted in ``result`` (skipped: same external id; rejected: with the reasons)."""
    known = known_external_ids(survey, (row.external_id for row in rows))
    customers = customers_by_external_id(row.customer for row in rows)
    seen: set[str] = set()
    valid: list[tuple[dict[str, Any], CleanAnswers]] = []
    validate = ResponseValidator(version)
    fixed = survey_values(survey, version)
    for row in rows:
        if row.external_id and (row.external_id in known or row.external_id in seen):
            result.skipped += 1
            continue
        try:
            clean = validate(row)
        except InvalidAnswers as exc:
            result.reject(row.index, exc.errors)
            continue
        if row.external_id:
            seen.add(row.external_id)
        customer = customers.get(row.customer) if row.customer else None
        valid.append((response_values(fixed, row, clean, customer), clean))
    return valid


@transaction.atomic
def bulk_record_responses(survey: Survey, rows: Sequence[ResponseRow]) -> BulkResult:
    """Validate and store ``rows``: valid ones are created, rows whose external id is already
    stored are skipped, invalid ones are reported with their index and reasons."""
    result = BulkResult()
    version = published_version(survey)
    survey = Survey.objects.select_related("touchpoint__stage").get(pk=survey.pk)
    valid = [(Response(**v), c) for v, c in validate_rows(survey, version, rows, result)]
    with bulk_insert(Response) as inserted:  # the batch's days are logged once, not per row
        responses = Response.objects.bulk_record([r for r, _c in valid], batch_size=CHUNK)
        inserted.extend(response.pk for response in responses)
    answers = [
        Answer(response=response, question=clean.questions[key], **clean.answer_fields(key))
        for response, (_r, clean) in zip(responses, valid, strict=True)
        for key in clean.values
    ]
    Answer.objects.bulk_create(answers, batch_size=CHUNK * 5)
    result.created = len(responses)
    result.responses = responses
    publish_recorded(response.feedback_id for response in responses)  # one event per batch
    return result
