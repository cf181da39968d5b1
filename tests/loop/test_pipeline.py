"""One pipeline: a response submitted on the public page reaches the rules, text analysis,
metrics and search through ``feedback.recorded`` and one ``pulso worker --batch`` pass, with no
clock advanced; dashboards and API reads never write, whatever is pending."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from pulso.core.models import PendingEvent
from pulso.feedback.events import RECORDED
from pulso.loop.defaults import load_default_rules
from pulso.loop.models import Case, Rule, SlaPolicy
from pulso.metrics.models import AggregateChange, DailyAggregate, SearchDocument
from pulso.surveys import actions
from pulso.surveys.models import Response, Survey
from pulso.textanalytics.models import TextAnalysis
from tests.conftest import Org, Personas
from tests.loop.conftest import Loop
from tests.surveys.factories import make_survey

WRITES = ("INSERT", "UPDATE", "DELETE", "LOCK", "REPLACE", "CREATE", "DROP", "ALTER", "TRUNCATE")


def submit_on_the_public_page(client: Client, survey: Survey, nps: int, comment: str) -> None:
    """The two pages of the NPS template, as a respondent's browser posts them."""
    url = reverse("public:open", args=[survey.public_token])
    first = client.post(url, {"page": "0", "nps": str(nps)})
    progress = first.content.decode().split('name="progress" value="')[1].split('"')[0]
    done = client.post(url, {"page": "1", "progress": progress, "detractor_comment": comment})
    assert done.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_detractor_from_the_public_page_has_its_case_after_one_worker_pass(
    org: Org, loop: Loop
) -> None:
    assert isinstance(task_backends["default"], DatabaseBackend)
    load_default_rules(Rule, SlaPolicy)  # transactional tests start from empty tables
    survey = make_survey("nps", touchpoint=loop.touchpoint)

    submit_on_the_public_page(Client(), survey, 2, "El pedido llegó roto y nadie me llamó")

    response = Response.objects.get(is_complete=True)
    kept = PendingEvent.objects.get()
    assert (kept.name, kept.payload) == (RECORDED, {"feedback_ids": [response.feedback_id]})
    assert not Case.objects.exists()  # the request itself only recorded and queued

    call_command("worker", "--batch", "--interval", "0")

    case = Case.objects.get()
    assert case.feedback_id == response.feedback_id and case.owner == loop.store_manager
    assert TextAnalysis.objects.filter(feedback_id=response.feedback_id).count() == 1
    assert SearchDocument.objects.filter(feedback_id=response.feedback_id).count() == 1
    assert DailyAggregate.objects.get().detractors == 1
    assert not AggregateChange.objects.exists()
    # The event did it: no scheduled job was due, since no clock moved.
    assert not DBTaskResult.objects.filter(task_path__endswith="run_scheduled_job").exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def dashboard_urls(org: Org, survey: Survey) -> list[str]:
    today = timezone.localdate()
    month = f"from={today.replace(day=1).isoformat()}&to={today.isoformat()}"
    touchpoint = survey.touchpoint
    return [
        f"/dashboards/?{month}",
        f"/dashboards/journeys/{touchpoint.stage.journey.slug}/?{month}",
        f"/dashboards/units/{org.north_store.code}/?{month}",
        f"/dashboards/touchpoints/{touchpoint.pk}/?{month}",
        f"/dashboards/league/?{month}",
        f"/dashboards/explorer/?{month}&q=pedido",
        f"/api/metrics/summary?{month}",
        f"/api/metrics/touchpoints?{month}",
        f"/api/metrics/league?{month}",
    ]


def writes(statements: list[dict[str, Any]]) -> list[str]:
    sql = [query["sql"].lstrip().upper() for query in statements]
    return [s for s in sql if s.startswith(WRITES) or " FOR UPDATE" in s]


@pytest.mark.django_db
def test_dashboard_and_api_reads_never_write_while_aggregates_are_pending(
    org: Org, personas: Personas
) -> None:
    survey = make_survey("nps", org_unit=org.north_store)
    for nps in (2, 9, 10):
        actions.do_record_response(survey, {"nps": nps}, channel="link", org_unit=org.north_store)
    assert AggregateChange.objects.exists()  # recorded just before: aggregates pending
    client = Client()
    client.force_login(personas.admin)  # the session is written here, before the reads

    for url in dashboard_urls(org, survey):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200, url
        assert captured.captured_queries, url
        assert writes(captured.captured_queries) == [], url
    assert AggregateChange.objects.exists()  # still pending: the worker refreshes, not reads
