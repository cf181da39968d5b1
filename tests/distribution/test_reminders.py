"""One reminder per unanswered invitation, after PULSO_REMINDER_DAYS."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from pulso.surveys.distribution.actions import do_mark_bounced, do_mark_opened, due_reminders
from pulso.surveys.distribution.tasks import send_due_reminders, send_reminder
from pulso.surveys.models import Invitation, Survey
from tests.distribution.factories import InvitationFactory, make_live_survey, make_response

pytestmark = pytest.mark.django_db
Status = Invitation.Status


def sent(days_ago: float, **fields: Any) -> Invitation:
    fields.setdefault("status", Status.SENT)
    return InvitationFactory(sent_at=timezone.now() - timedelta(days=days_ago), **fields)


def run_due_reminders(settings: Any) -> int:
    """What the daily scheduler does, with tasks executed right away."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return send_due_reminders(timezone.now())


def test_reminder_is_sent_exactly_once(settings: Any) -> None:
    settings.PULSO_REMINDER_DAYS = 3
    invitation = sent(days_ago=4)
    assert run_due_reminders(settings) == 1
    assert run_due_reminders(settings) == 0
    assert send_reminder.call(invitation.pk) is False  # a duplicate task is harmless
    (message,) = mail.outbox
    assert message.subject.startswith("Recordatorio:")
    invitation.refresh_from_db()
    assert invitation.reminded_at is not None and invitation.status == Status.SENT


def test_only_due_unanswered_invitations_of_live_surveys_are_reminded(settings: Any) -> None:
    settings.PULSO_REMINDER_DAYS = 3
    due = sent(days_ago=3.5)
    opened = sent(days_ago=5, status=Status.OPENED)
    sent(days_ago=1)  # too recent
    sent(days_ago=5, status=Status.ANSWERED)
    sent(days_ago=5, status=Status.BOUNCED)
    sent(days_ago=5, reminded_at=timezone.now())
    closed = make_live_survey()
    Survey.objects.filter(pk=closed.pk).update(status=Survey.Status.CLOSED)
    sent(days_ago=5, survey=closed)
    with_response = sent(days_ago=5)
    response = make_response(with_response.survey, with_response.customer)
    response.invitation = with_response
    response.save(update_fields=["invitation"])
    assert set(due_reminders(timezone.now())) == {due, opened}


def test_reminder_respects_a_later_opt_out(settings: Any) -> None:
    settings.PULSO_REMINDER_DAYS = 3
    invitation = sent(days_ago=4)
    invitation.customer.consent_to_contact = False
    invitation.customer.save(update_fields=["consent_to_contact"])
    run_due_reminders(settings)
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.status_detail == "no_consent"


def test_status_transitions_open_and_bounce() -> None:
    invitation = sent(days_ago=0)
    assert do_mark_opened(invitation) is True
    assert do_mark_opened(invitation) is False  # only the first open counts
    invitation.refresh_from_db()
    assert invitation.status == Status.OPENED and invitation.opened_at is not None
    do_mark_bounced(invitation, "550 mailbox unavailable")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.status_detail) == (
        Status.BOUNCED,
        "550 mailbox unavailable",
    )
