"""Case status flow, timeline, recovery survey."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from pulso.loop import actions, notifications
from pulso.loop.models import Case, RecoveryInvitation
from pulso.loop.recovery import do_record_recovery_answer, recovery_stats
from tests.conftest import Org, Personas
from tests.loop.conftest import Loop
from tests.loop.factories import ResponseFactory


@pytest.fixture
def case(loop: Loop, org: Org) -> Case:
    response = ResponseFactory(touchpoint=loop.touchpoint, org_unit=org.north_store, nps=2)
    return actions.do_open_case(
        title="Entrega tardía",
        unit=org.north_store,
        priority="normal",
        owner=loop.store_manager,
        feedback=response.feedback,
        customer=response.customer,
        touchpoint=loop.touchpoint,
    )


def test_a_case_moves_from_new_to_closed_and_every_step_is_on_the_timeline(
    case: Case, personas: Personas
) -> None:
    agent = personas.store_manager
    for status in ("in_progress", "customer_contacted"):
        case = actions.do_change_case_status(case, status, agent)
    case = actions.do_change_case_status(case, "resolved", agent, resolution="Reembolso del envío")
    case = actions.do_change_case_status(case, "closed", agent)

    assert case.status == "closed"
    assert case.first_contacted_at is not None and case.closed_at is not None
    assert case.first_contact_in_sla() is True
    steps = [(e.data.get("old"), e.data.get("new")) for e in case.events.filter(kind="status")]
    assert steps == [
        ("new", "in_progress"),
        ("in_progress", "customer_contacted"),
        ("customer_contacted", "resolved"),
        ("resolved", "closed"),
    ]
    assert all(e.actor == agent for e in case.events.filter(kind="status"))


@pytest.mark.parametrize("target", ["resolved", "closed", "reopened", "new", "nonsense"])
def test_a_new_case_cannot_jump_ahead(case: Case, target: str) -> None:
    with pytest.raises(ValidationError):
        actions.do_change_case_status(case, target)
    case.refresh_from_db()
    assert case.status == "new"
    assert not case.events.filter(kind="status").exists()


def test_resolving_needs_a_resolution_and_reopening_restarts_the_clock(case: Case) -> None:
    actions.do_change_case_status(case, "in_progress")
    with pytest.raises(ValidationError, match="Describe la resolución"):
        actions.do_change_case_status(case, "resolved")
    actions.do_change_case_status(case, "resolved", resolution="Cambio de producto")
    actions.do_change_case_status(case, "closed")
    reopened = actions.do_change_case_status(case, "reopened", note="El cliente volvió a llamar")
    assert reopened.closed_at is None and reopened.is_open
    assert reopened.events.last().text == "El cliente volvió a llamar"
    assert actions.do_change_case_status(reopened, "in_progress").status == "in_progress"


def test_notes_priority_and_assignment_are_on_the_timeline(case: Case, loop: Loop) -> None:
    actions.do_add_case_note(case, "Llamé, no contesta")
    actions.do_set_case_priority(case, "urgent")
    actions.do_assign_case(case, loop.region_manager)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["created", "assigned", "note", "priority", "assigned"]
    case.refresh_from_db()
    assert case.first_contact_due - case.created_at < case.resolution_due - case.created_at


def test_closing_invites_the_customer_to_a_recovery_survey_once(case: Case, client) -> None:  # type: ignore[no-untyped-def]
    actions.do_change_case_status(case, "in_progress")
    actions.do_change_case_status(case, "resolved", resolution="Visita del técnico")
    actions.do_change_case_status(case, "closed")
    actions.do_change_case_status(case, "reopened")
    actions.do_change_case_status(case, "resolved")
    actions.do_change_case_status(case, "closed")
    notifications.send_due()

    invitation = RecoveryInvitation.objects.get()
    recovery_mails = [m for m in mail.outbox if "resuelto tu problema" in m.subject]
    assert len(recovery_mails) == 1
    assert invitation.token in recovery_mails[0].body

    page = client.get(f"/cases/recovery/{invitation.token}/")
    assert "¿Hemos resuelto tu problema?" in page.content.decode()
    answer = client.post(f"/cases/recovery/{invitation.token}/", {"resolved": "yes", "score": "9"})
    assert answer.status_code == 200
    do_record_recovery_answer(invitation, False, 0)  # a second answer changes nothing
    stats = recovery_stats(Case.objects.all())
    assert (stats.invited, stats.answered, stats.recovered, stats.nps) == (1, 1, 1, 100.0)
    assert stats.recovery_rate == 1.0


def test_a_bad_recovery_answer_is_a_form_error_not_a_crash(case: Case, client) -> None:  # type: ignore[no-untyped-def]
    invitation = RecoveryInvitation.objects.create(case=case)
    page = client.post(f"/cases/recovery/{invitation.token}/", {"resolved": "maybe", "score": "11"})
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()
    assert client.get("/cases/recovery/not-a-token/").status_code == 404
