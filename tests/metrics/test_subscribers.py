"""Metrics and search learn of recorded feedback from the event; running again changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pulso.feedback.events import recorded_payload
from pulso.feedback.models import Feedback
from pulso.metrics.models import AggregateChange, DailyAggregate, SearchDocument
from pulso.metrics.subscribers import index_recorded, refresh_recorded
from pulso.surveys.models import Response
from tests.factories import FeedbackFactory
from tests.metrics.factories import ResponseFactory, SurveyFactory, local

pytestmark = pytest.mark.django_db


def cells() -> list[tuple[Any, ...]]:
    return sorted(DailyAggregate.objects.values_list("day", "org_unit_id", "n", "detractors"))


def test_the_days_of_recorded_responses_are_rebuilt_once_and_stay_equal(org: Any) -> None:
    survey = SurveyFactory()
    rows = Response.objects.bulk_record(
        [ResponseFactory.build(survey=survey, nps=n, org_unit=org.north_store,
                               submitted_at=local(2025, 6, 3)) for n in (2, 9)]
    )  # fmt: skip
    AggregateChange.objects.all().delete()  # as if the triggers' log was already consumed
    payload = recorded_payload(r.feedback_id for r in rows)
    assert refresh_recorded(payload) >= 1
    first = cells()
    assert [(day, n, detractors) for day, _unit, n, detractors in first] == [
        (date(2025, 6, 3), 2, 1)
    ]
    refresh_recorded(payload)
    assert cells() == first and not AggregateChange.objects.exists()


def test_search_documents_are_rewritten_not_duplicated(org: Any) -> None:
    response = ResponseFactory(comment="Nevera abollada", org_unit=org.north_store)
    item = FeedbackFactory(text="Técnico amable")
    payload = recorded_payload([response.feedback_id, item.pk])
    assert index_recorded(payload) == 2
    assert index_recorded(payload) == 2
    assert SearchDocument.objects.count() == 2
    Feedback.objects.filter(pk=response.feedback_id).update(text="")
    index_recorded(payload)
    assert list(SearchDocument.objects.values_list("feedback", flat=True)) == [item.pk]
