"""Recording a visit: scores, its feedback record, the case of a failed critical standard, and
a submission sent twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pulso.accounts.models import Role
from pulso.audits.actions import AlreadyRecorded, AnswerIn, do_record_visit, do_save_draft
from pulso.audits.models import Visit
from pulso.core import events
from pulso.core.models import PendingEvent
from pulso.feedback.models import Feedback
from pulso.loop.audit_cases import open_case_for_failed_visit
from pulso.loop.models import Case, CaseEvent
from tests.audits.factories import make_checklist, plan, tiny_png
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def answers(
    visit: Visit, *, greeted: bool, rating: int = 4, shop_window: bool = True
) -> dict[int, AnswerIn]:
    by_kind = {s.kind: s.pk for s in visit.checklist.standards.all()}
    photo = SimpleUploadedFile("escaparate.png", tiny_png(), content_type="image/png")
    return {
        by_kind["yes_no"]: AnswerIn(passed=greeted, comment="Nadie saludó." if not greeted else ""),
        by_kind["scale"]: AnswerIn(rating=rating),
        by_kind["photo"]: AnswerIn(passed=shop_window, photo=photo),
        by_kind["comment"]: AnswerIn(comment="Tienda con mucha gente."),
    }


def test_a_visit_is_scored_and_written_as_one_feedback_record(org: Any) -> None:
    visit = plan(make_checklist(), org.north_store)
    when = timezone.now() - dt.timedelta(hours=2)
    recorded, created = do_record_visit(
        visit, answers(visit, greeted=False), token="t-1", visited_at=when, comment="Visita normal."
    )
    assert created and recorded.is_recorded
    # greeting (weight 2) 0, kindness 4/5 → 75, shop window 100: (0·2 + 75 + 100) / 4
    assert recorded.score == Decimal("43.8")
    assert recorded.critical_failed
    record = Feedback.objects.get(pk=recorded.feedback_id)
    assert record.source == Feedback.Source.AUDIT
    assert record.org_unit == org.north_store
    assert record.touchpoint == visit.checklist.touchpoint
    assert record.rating == Decimal("43.8") and record.rating_scale_max == 100
    assert record.received_at == when
    assert "Saludo en menos de 30 segundos" in record.text and "Nadie saludó." in record.text
    photo = recorded.answers.get(standard__kind="photo").photo
    assert photo.name.startswith(f"audits/visits/{visit.pk}/") and photo.name.endswith(".png")
    assert photo.read() == tiny_png()


def test_the_same_submission_twice_records_once(org: Any) -> None:
    visit = plan(make_checklist(), org.north_store)
    first, created = do_record_visit(visit, answers(visit, greeted=True), token="same")
    again, created_again = do_record_visit(visit, answers(visit, greeted=False), token="same")
    assert created and not created_again
    assert again.score == first.score == Decimal("93.8")
    assert Feedback.objects.filter(source="audit").count() == 1
    assert visit.answers.count() == 4
    with pytest.raises(AlreadyRecorded):
        do_record_visit(visit, answers(visit, greeted=True), token="another")


def test_a_visit_is_never_dated_in_the_future(org: Any) -> None:
    visit = plan(make_checklist(), org.north_store)
    recorded, _created = do_record_visit(
        visit,
        answers(visit, greeted=True),
        token="t",
        visited_at=timezone.now() + dt.timedelta(days=3),
    )
    assert recorded.visited_at <= timezone.now()


def test_a_failed_critical_standard_opens_one_case_for_the_visited_unit(
    org: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    manager = MembershipFactory(
        user=UserFactory(username="encargada"), unit=org.north_store, role=Role.UNIT_MANAGER
    ).user
    visit = plan(make_checklist(), org.north_store)
    with django_capture_on_commit_callbacks(execute=True):
        recorded, _created = do_record_visit(visit, answers(visit, greeted=False), token="x")
    case = Case.objects.get(feedback_id=recorded.feedback_id)
    assert case.unit == org.north_store
    assert case.owner == manager
    assert case.priority == "high"
    assert case.touchpoint == visit.checklist.touchpoint
    assert "Saludo en menos de 30 segundos" in case.title
    note = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert "43,8/100" in note.text
    # A retried task opens no second case.
    assert open_case_for_failed_visit(visit.pk) is False
    assert Case.objects.filter(feedback_id=recorded.feedback_id).count() == 1


def test_a_visit_without_a_critical_failure_opens_no_case(
    org: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    visit = plan(make_checklist(), org.north_store)
    # Kindness 1/5 and the shop window failed: neither is critical.
    with django_capture_on_commit_callbacks(execute=True):
        recorded, _created = do_record_visit(
            visit, answers(visit, greeted=True, rating=1, shop_window=False), token="y"
        )
    assert not recorded.critical_failed
    assert recorded.answers.filter(failed=True).count() == 2
    assert not Case.objects.exists()


def test_the_critical_event_waits_in_the_outbox_with_the_database_backend(org: Any) -> None:
    visit = plan(make_checklist(), org.north_store)
    do_record_visit(visit, answers(visit, greeted=False), token="z")
    names = set(PendingEvent.objects.values_list("name", flat=True))
    assert names == {"feedback.recorded", "audits.critical_failed"}
    assert events.subscribers("audits.critical_failed") == [
        "pulso.loop.audit_cases.open_cases_for_failed_visits"
    ]


def test_a_draft_is_kept_until_the_visit_is_recorded(org: Any) -> None:
    visit = plan(make_checklist(), org.north_store)
    assert do_save_draft(visit, {"comment": "Empiezo la visita", "token": "abc"})
    visit.refresh_from_db()
    assert visit.draft == {"comment": "Empiezo la visita", "token": "abc"}
    assert visit.draft_saved_at is not None
    do_record_visit(visit, answers(visit, greeted=True), token="abc")
    visit.refresh_from_db()
    assert visit.draft == {}
    assert not do_save_draft(visit, {"comment": "tarde"})
