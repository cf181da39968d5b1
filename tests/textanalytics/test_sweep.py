"""New comments are analysed by one deferred sweep per window, not one task per response."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pulso.surveys import actions as survey_actions
from pulso.textanalytics import actions, signals
from pulso.textanalytics.models import TextAnalysis
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_sweep_queued() -> Iterator[None]:
    signals._sweep_due[0] = None
    yield
    signals._sweep_due[0] = None


def _tasks(name: str) -> list[DBTaskResult]:
    return [t for t in DBTaskResult.objects.all() if t.task_path.endswith(f".{name}")]


def test_many_new_responses_queue_one_deferred_sweep(
    django_capture_on_commit_callbacks: Any,
) -> None:
    survey = factories.survey()
    before = timezone.now()
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            survey_actions.do_record_response(
                survey,
                {"nps": 3, "detractor_comment": f"La entrega llegó tarde {n}"},
                channel="link",
            )
    sweeps = _tasks("analyse_pending")
    assert len(sweeps) == 1 and not _tasks("analyse_items")
    assert sweeps[0].run_after >= before + signals.SWEEP_DELAY
    assert actions.do_analyse_pending() == 3  # what the sweep does when it runs
    assert TextAnalysis.objects.count() == 3


def test_a_sweep_due_too_soon_does_not_cover_a_new_response(
    django_capture_on_commit_callbacks: Any,
) -> None:
    survey = factories.survey()
    signals._sweep_due[0] = timezone.now() + signals.SWEEP_MARGIN / 2
    with django_capture_on_commit_callbacks(execute=True):
        survey_actions.do_record_response(
            survey, {"nps": 3, "detractor_comment": "Cola larga"}, channel="link"
        )
    assert len(_tasks("analyse_pending")) == 1


def test_an_edited_comment_is_reanalysed_by_id(django_capture_on_commit_callbacks: Any) -> None:
    survey = factories.survey()
    response = factories.responses(survey, [("La entrega llegó tarde", 2)])[0]
    response.comment = "El repartidor fue muy amable"
    with django_capture_on_commit_callbacks(execute=True):
        response.save(update_fields=["comment"])
    assert len(_tasks("analyse_items")) == 1 and not _tasks("analyse_pending")
