"""Events: published on commit (never for a rollback), one task per subscriber, batches once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from pulso.core import events
from pulso.feedback import actions as feedback_actions
from pulso.feedback.events import RECORDED
from pulso.surveys.importers.bulk import ResponseRow, bulk_record_responses
from tests.conftest import Org
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


def deliveries() -> list[tuple[str, str, dict[str, Any]]]:
    tasks = DBTaskResult.objects.filter(task_path="pulso.core.tasks.deliver_event")
    return [tuple(t.args_kwargs["args"]) for t in tasks.order_by("enqueued_at")]  # type: ignore[misc]


def test_every_consumer_subscribes_to_recorded_feedback_from_its_app() -> None:
    assert sorted(events.subscribers(RECORDED)) == [
        "pulso.loop.subscribers.apply_rules_to_recorded",
        "pulso.metrics.subscribers.index_recorded",
        "pulso.metrics.subscribers.refresh_recorded",
        "pulso.textanalytics.subscribers.analyse_recorded",
    ]


def test_an_event_is_queued_once_per_subscriber_after_commit_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.publish(RECORDED, {"feedback_ids": [1]})
            assert deliveries() == []  # not before the commit
    assert [(name, path) for name, path, _p in deliveries()] == [
        (RECORDED, path) for path in events.subscribers(RECORDED)
    ]


def test_a_rolled_back_transaction_publishes_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish(RECORDED, {"feedback_ids": [1]})
            raise RuntimeError("the response was not stored")
    assert callbacks == [] and deliveries() == []


def test_only_subscribed_paths_can_be_delivered() -> None:
    with pytest.raises(LookupError):
        events.deliver(RECORDED, "os.system", {"feedback_ids": []})
    with pytest.raises(ValueError):
        events.subscribe(RECORDED, lambda payload: None)


def test_a_feedback_batch_is_one_event_naming_every_stored_item(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    batch = [{"source": "review", "text": f"Opinión {n}", "org_unit": "bilbao"} for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        result = feedback_actions.do_ingest_feedback(batch)
    assert result.created == 3
    payloads = {str(payload) for _name, _path, payload in deliveries()}
    assert len(payloads) == 1
    assert len(deliveries()[0][2]["feedback_ids"]) == 3


def test_a_response_batch_is_one_event_naming_every_response(
    django_capture_on_commit_callbacks: Any,
) -> None:
    survey = make_survey("nps")
    rows = [
        ResponseRow(index=i, answers={"nps": n}, channel="api") for i, n in enumerate((2, 8, 10))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        result = bulk_record_responses(survey, rows)
    payloads = [payload for _name, _path, payload in deliveries()]
    assert len(payloads) == len(events.subscribers(RECORDED))
    assert payloads[0]["feedback_ids"] == sorted(r.feedback_id for r in result.responses)
