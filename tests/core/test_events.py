"""Events: kept with the change they announce (never for a rollback), dispatched by the worker
into one task per event (merged where declared) running every subscriber, batches once; a
failing subscriber is queued again on its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from pulso.core import events
from pulso.core.models import PendingEvent
from pulso.feedback import actions as feedback_actions
from pulso.feedback.events import RECORDED
from pulso.surveys.importers.bulk import ResponseRow, bulk_record_responses
from tests.conftest import Org
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


def events_kept() -> list[tuple[str, dict[str, Any]]]:
    return list(PendingEvent.objects.order_by("pk").values_list("name", "payload"))


def events_queued() -> list[tuple[str, dict[str, Any]]]:
    tasks = DBTaskResult.objects.filter(task_path="pulso.core.tasks.run_subscribers")
    return [tuple(t.args_kwargs["args"]) for t in tasks.order_by("enqueued_at")]  # type: ignore[misc]


def retries() -> list[tuple[str, str, dict[str, Any]]]:
    tasks = DBTaskResult.objects.filter(task_path="pulso.core.tasks.deliver_event")
    return [tuple(t.args_kwargs["args"]) for t in tasks.order_by("enqueued_at")]  # type: ignore[misc]


def test_every_consumer_subscribes_to_recorded_feedback_from_its_app() -> None:
    assert sorted(events.subscribers(RECORDED)) == [
        "pulso.loop.subscribers.apply_rules_to_recorded",
        "pulso.metrics.subscribers.index_recorded",
        "pulso.metrics.subscribers.refresh_recorded",
        "pulso.reputation.subscribers.record_mentions",
        "pulso.textanalytics.subscribers.analyse_recorded",
    ]


COUNTED: list[dict[str, Any]] = []


@pytest.fixture(autouse=True)
def _test_events_unsubscribed() -> Iterator[None]:
    COUNTED.clear()
    yield
    for name in [name for name in events.SUBSCRIBERS if name.startswith("test.")]:
        del events.SUBSCRIBERS[name]


def test_an_event_is_kept_with_the_change_it_announces_then_dispatched_as_one_task() -> None:
    with transaction.atomic():
        events.publish(RECORDED, {"feedback_ids": [1]})
    assert events_kept() == [(RECORDED, {"feedback_ids": [1]})] and events_queued() == []
    assert events.dispatch_all() == 1
    assert events_queued() == [(RECORDED, {"feedback_ids": [1]})] and events_kept() == []


def test_events_declared_mergeable_become_one_task_and_others_one_task_each() -> None:
    events.subscribe("test.counted", "tests.core.test_events.count_call")
    for ids in ([3, 1], [2], [1]):
        events.publish(RECORDED, {"feedback_ids": ids})
        events.publish("test.counted", {"n": ids[0]})
    assert events.dispatch_all() == 6
    assert events_queued() == [
        (RECORDED, {"feedback_ids": [1, 2, 3]}),
        ("test.counted", {"n": 3}),
        ("test.counted", {"n": 2}),
        ("test.counted", {"n": 1}),
    ]


def test_a_large_burst_is_merged_in_chunks() -> None:
    for pk in range(1, events.MAX_MERGED + 2):
        events.publish(RECORDED, {"feedback_ids": [pk]})
    events.dispatch_all()
    sizes = [len(payload["feedback_ids"]) for _name, payload in events_queued()]
    assert sizes == [events.MAX_MERGED, 1]


def test_a_rolled_back_transaction_publishes_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish(RECORDED, {"feedback_ids": [1]})
            raise RuntimeError("the response was not stored")
    assert callbacks == [] and events_kept() == []


def test_another_backend_is_queued_only_after_the_commit(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ran: list[dict[str, Any]] = []
    events.subscribe("test.counted", "tests.core.test_events.count_call")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            events.publish("test.counted", {"n": 1})
            ran.extend(COUNTED)  # nothing ran inside the transaction
    assert ran == [] and len(callbacks) == 1
    assert COUNTED == [{"n": 1}]


def count_call(payload: dict[str, Any]) -> int:
    COUNTED.append(payload)
    return len(COUNTED)


def fail(payload: dict[str, Any]) -> None:
    raise RuntimeError("a broken consumer")


def test_a_failing_subscriber_is_queued_again_alone_and_the_others_still_run() -> None:
    events.subscribe("test.partly", "tests.core.test_events.fail")
    events.subscribe("test.partly", "tests.core.test_events.count_call")
    results = events.deliver_all("test.partly", {"n": 2})
    assert COUNTED == [{"n": 2}]
    assert results == {
        "tests.core.test_events.fail": "queued again",
        "tests.core.test_events.count_call": 1,
    }
    assert retries() == [("test.partly", "tests.core.test_events.fail", {"n": 2})]


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
    assert len(events_kept()) == 1
    assert len(events_kept()[0][1]["feedback_ids"]) == 3


def test_a_response_batch_is_one_event_naming_every_response(
    django_capture_on_commit_callbacks: Any,
) -> None:
    survey = make_survey("nps")
    rows = [
        ResponseRow(index=i, answers={"nps": n}, channel="api") for i, n in enumerate((2, 8, 10))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        result = bulk_record_responses(survey, rows)
    payloads = [payload for _name, payload in events_kept()]
    assert len(payloads) == 1
    assert payloads[0]["feedback_ids"] == sorted(r.feedback_id for r in result.responses)
