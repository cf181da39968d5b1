"""The public submit path stays lean: one insert per table, no audit row, cached questions,
and the survey kept per process but checked against the database on every request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pulso.core.models import AuditEvent
from pulso.surveys.models import Answer, Response
from tests.factories import StageFactory
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def test_a_public_submission_stores_answers_once_and_writes_no_audit_event(
    client: Client,
) -> None:
    survey = make_survey("csat")
    url = reverse("public:open", args=[survey.public_token])
    answer = {"page": "0", "csat": "2", "comment": "La cola era larga"}
    assert client.post(url, answer).status_code == 302  # fills the question cache
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, answer).status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("surveys_question" in s for s in sql)  # published questions are cached
    # The kept survey is checked with one small query, not loaded again with its relations.
    assert sum("surveys_survey" in s for s in sql) == 1
    assert not any(s.startswith("DELETE") for s in sql)  # a fresh response has no answers
    assert sum(s.startswith('INSERT INTO "surveys_answer"') for s in sql) == 1
    stored = Response.objects.order_by("pk").last()
    assert stored is not None and stored.is_complete and stored.csat == 2
    assert stored.comment == "La cola era larga"
    assert Answer.objects.filter(response=stored).count() == 2
    assert not AuditEvent.objects.filter(verb="response.recorded").exists()


def test_a_question_edited_in_a_new_version_is_served_once_published(client: Client) -> None:
    from pulso.surveys import actions

    survey = make_survey("csat")
    url = reverse("public:open", args=[survey.public_token])
    assert client.post(url, {"page": "0", "csat": "4"}).status_code == 302
    draft = actions.do_start_draft(survey)
    csat = draft.questions.get(key="csat")
    actions.do_update_question(csat, scale_min=0, scale_max=10)
    actions.do_publish_survey(survey)
    assert client.post(url, {"page": "0", "csat": "9"}).status_code == 302
    assert Response.objects.order_by("pk").last().csat == 9  # type: ignore[union-attr]


def test_a_survey_closed_after_answers_is_closed_for_the_next_respondent(client: Client) -> None:
    from pulso.surveys import actions

    survey = make_survey("csat")
    url = reverse("public:open", args=[survey.public_token])
    assert client.post(url, {"page": "0", "csat": "4"}).status_code == 302  # keeps the survey
    actions.do_close_survey(survey)
    assert client.post(url, {"page": "0", "csat": "5"}).status_code == 410
    assert client.get(url).status_code == 410
    assert Response.objects.count() == 1


def test_a_touchpoint_moved_to_another_journey_records_the_new_journey(client: Client) -> None:
    survey = make_survey("csat")
    url = reverse("public:open", args=[survey.public_token])
    assert client.post(url, {"page": "0", "csat": "4"}).status_code == 302
    touchpoint = survey.touchpoint
    touchpoint.stage = StageFactory()
    touchpoint.save()
    assert client.post(url, {"page": "0", "csat": "5"}).status_code == 302
    latest = Response.objects.order_by("pk").last()
    assert latest is not None and latest.journey_id == touchpoint.stage.journey_id
