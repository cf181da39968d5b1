"""One-row INSERTs with a kept statement store what the ORM would store."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models.functions import Now

from pulso.core import fastinsert
from pulso.feedback.models import Feedback
from pulso.surveys.actions import do_create_survey, do_publish_survey
from pulso.surveys.models import Answer, Response
from tests.factories import CustomerFactory, OrgUnitFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 4, 10, 30, 15, 123456, tzinfo=UTC)


def _record(**extra: Any) -> Feedback:
    touchpoint = TouchpointFactory()
    values: dict[str, Any] = {
        "source": Feedback.Source.REVIEW,
        "source_name": "Google",
        "text": "Muy buena atención, aunque tardaron",
        "rating": Decimal("4.5"),
        "customer": CustomerFactory(),
        "touchpoint": touchpoint,
        "stage_id": touchpoint.stage_id,
        "journey_id": touchpoint.stage.journey_id,
        "org_unit": OrgUnitFactory(),
        "language": "es",
        "nps": 9,
        "received_at": WHEN,
        "created_at": WHEN,
    }
    return Feedback(**(values | extra))


def _stored(model: type[Any], pk: int) -> dict[str, Any]:
    row = model.objects.filter(pk=pk).values().get()
    row.pop("id")
    return dict(row)


def test_a_row_is_stored_as_the_orm_stores_it() -> None:
    fast = fastinsert.insert(_record())
    orm = _record()
    orm.save()
    assert fast.pk is not None and fast.pk != orm.pk
    assert not fast._state.adding and fast._state.db == "default"
    fast_row, orm_row = _stored(Feedback, fast.pk), _stored(Feedback, orm.pk)
    for key in ("customer_id", "touchpoint_id", "stage_id", "journey_id", "org_unit_id"):
        fast_row.pop(key), orm_row.pop(key)  # different related rows, same kind of value
    assert fast_row == orm_row
    assert fast_row["rating"] == Decimal("4.5") and fast_row["received_at"] == WHEN
    assert fast_row["external_id"] is None and fast_row["is_complete"] is True


def test_the_kept_statement_serves_the_next_rows_with_their_own_values() -> None:
    first = fastinsert.insert(_record(text="primero", nps=0, rating=None, customer=None))
    second = fastinsert.insert(_record(text="segundo", nps=10))
    assert second.pk > first.pk
    first_row, second_row = _stored(Feedback, first.pk), _stored(Feedback, second.pk)
    assert (first_row["text"], first_row["nps"], first_row["rating"]) == ("primero", 0, None)
    assert first_row["customer_id"] is None
    assert (second_row["text"], second_row["nps"]) == ("segundo", 10)


def test_an_expression_goes_through_the_orm() -> None:
    record = fastinsert.insert(_record(received_at=Now()))
    stored = Feedback.objects.get(pk=record.pk)
    assert stored.received_at.year >= 2026


def test_a_row_that_has_its_key_is_refused() -> None:
    record = fastinsert.insert(_record())
    with pytest.raises(ValueError, match="generated key"):
        fastinsert.insert(record)


def test_rows_of_several_values_in_one_statement() -> None:
    touchpoint = TouchpointFactory()
    survey = do_create_survey("Tienda", touchpoint, org_unit=OrgUnitFactory(), template="csat")
    do_publish_survey(survey)
    survey.refresh_from_db()
    version = survey.current_version
    questions = version.question_list()
    response = Response(
        survey=survey, version=version, touchpoint=touchpoint,
        journey_id=touchpoint.stage.journey_id, channel="web", csat=4, submitted_at=WHEN,
        is_complete=True, comment="Bien",
    )  # fmt: skip
    response.insert_with_record()
    answers = [
        Answer(response=response, question=questions[0], number=4),
        Answer(response=response, question=questions[1], text="Bien", choices=["a", "ñ"]),
    ]
    fastinsert.insert_rows(answers)
    ordered = response.answers.order_by("question__position")
    stored = list(ordered.values("number", "text", "choices"))
    assert stored == [
        {"number": 4, "text": "", "choices": []},
        {"number": None, "text": "Bien", "choices": ["a", "ñ"]},
    ]
    record = Feedback.objects.get(pk=response.feedback_id)
    assert (record.source, record.csat, record.text, record.received_at) == (
        Feedback.Source.SURVEY, 4, "Bien", WHEN,
    )  # fmt: skip
    assert Response.objects.get(pk=response.pk).feedback_id == record.pk
