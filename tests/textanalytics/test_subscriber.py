"""Text analysis subscribes to ``feedback.recorded``: one task per event, idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from pulso.core import events
from pulso.core.models import PendingEvent
from pulso.feedback.events import ANALYSED, RECORDED, recorded_payload
from pulso.surveys import actions as survey_actions
from pulso.textanalytics.models import TextAnalysis, TopicMention
from pulso.textanalytics.subscribers import analyse_recorded
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db

SUBSCRIBER = "pulso.textanalytics.subscribers.analyse_recorded"


def _events(name: str) -> list[PendingEvent]:
    return list(PendingEvent.objects.filter(name=name))


def test_many_responses_keep_one_event_each_dispatched_as_one_task_and_no_sweep(
    django_capture_on_commit_callbacks: Any,
) -> None:
    survey = factories.survey()
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            survey_actions.do_record_response(
                survey, {"nps": 3, "detractor_comment": f"Llegó tarde {n}"}, channel="link"
            )
    assert SUBSCRIBER in events.subscribers(RECORDED)
    assert len(_events(RECORDED)) == 3
    assert not DBTaskResult.objects.filter(task_path__endswith="analyse_pending").exists()


def test_running_the_subscriber_twice_changes_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    survey = factories.survey()
    rows = factories.responses(survey, [("La entrega llegó tarde", 2), ("Muy amables", 10)])
    payload = recorded_payload(r.feedback_id for r in rows)
    with django_capture_on_commit_callbacks(execute=True):
        assert analyse_recorded(payload) == 2
    first = sorted(TextAnalysis.objects.values_list("feedback_id", "sentiment", "language"))
    mentions = TopicMention.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert analyse_recorded(payload) == 2
    assert sorted(TextAnalysis.objects.values_list("feedback_id", "sentiment", "language")) == first
    assert TopicMention.objects.count() == mentions
    # Each run announces the analysis, for the rules on sentiment and topics.
    assert len(_events(ANALYSED)) == 2
