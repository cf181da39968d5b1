"""Inviting customers: contact rules, suppression reasons, queueing and sending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pulso.core.models import AuditEvent
from pulso.customers.actions import do_unsubscribe
from pulso.surveys.distribution.actions import do_invite_customers, do_send_invitation
from pulso.surveys.models import Invitation
from tests.conftest import Org
from tests.distribution.factories import (
    ContactableCustomerFactory,
    InvitationFactory,
    make_live_survey,
)

pytestmark = pytest.mark.django_db
Status = Invitation.Status


def statuses(result: Any) -> dict[str, str]:
    every = result.queued + result.suppressed
    return {inv.customer.external_id: (inv.status, inv.status_detail) for inv in every}


def test_consent_opt_out_and_missing_address_are_suppressed_with_a_reason(org: Org) -> None:
    survey = make_live_survey(org.north_store)
    ok = ContactableCustomerFactory(external_id="OK")
    no_consent = ContactableCustomerFactory(external_id="NOCONSENT", consent_to_contact=False)
    gone = ContactableCustomerFactory(external_id="GONE")
    do_unsubscribe(gone)
    no_email = ContactableCustomerFactory(external_id="NOEMAIL", email="")
    result = do_invite_customers(survey, [ok, no_consent, gone, no_email, ok], "email")
    assert statuses(result) == {
        "OK": (Status.QUEUED, ""),
        "NOCONSENT": (Status.SUPPRESSED, "no_consent"),
        "GONE": (Status.SUPPRESSED, "unsubscribed"),
        "NOEMAIL": (Status.SUPPRESSED, "no_email"),
    }
    assert Invitation.objects.count() == 4  # the duplicate "OK" is invited once
    assert Invitation.objects.get(customer=ok).org_unit == org.north_store


def test_sms_needs_a_phone_number() -> None:
    survey = make_live_survey()
    result = do_invite_customers(survey, [ContactableCustomerFactory(phone="")], "sms")
    assert [inv.status_detail for inv in result.suppressed] == ["no_phone"]


def test_only_email_and_sms_can_be_sent() -> None:
    with pytest.raises(ValueError, match="email or sms"):
        do_invite_customers(make_live_survey(), [ContactableCustomerFactory()], "qr")


def test_global_contact_interval_applies_across_surveys(settings: Any) -> None:
    settings.PULSO_CONTACT_INTERVAL_DAYS = 30
    customer = ContactableCustomerFactory()
    now = timezone.now()
    InvitationFactory(customer=customer, created_at=now - timedelta(days=29), status=Status.SENT)
    result = do_invite_customers(make_live_survey(), [customer], "email", now=now)
    assert [inv.status_detail for inv in result.suppressed] == ["recently_contacted"]
    # 31 days later the same customer may be invited again.
    later = do_invite_customers(
        make_live_survey(), [customer], "email", now=now + timedelta(days=31)
    )
    assert len(later.queued) == 1


def test_suppressed_and_failed_invitations_do_not_count_as_contacts(settings: Any) -> None:
    customer = ContactableCustomerFactory()
    InvitationFactory(customer=customer, status=Status.SUPPRESSED)
    InvitationFactory(customer=customer, status=Status.FAILED)
    result = do_invite_customers(make_live_survey(), [customer], "email")
    assert len(result.queued) == 1


@pytest.mark.parametrize(
    ("survey_days", "global_days", "days_ago", "invited"),
    [
        (7, 30, 10, True),  # the survey allows more frequent contact than the global rule
        (60, 30, 45, False),  # the survey is stricter than the global rule
        (0, 30, 1, True),  # 0 days: no frequency limit for this survey
        (None, 5, 10, True),  # no survey setting: the global rule decides
        (None, 15, 10, False),
    ],
)
def test_per_survey_contact_interval_overrides_the_global_one(
    settings: Any, survey_days: int | None, global_days: int, days_ago: int, invited: bool
) -> None:
    settings.PULSO_CONTACT_INTERVAL_DAYS = global_days
    customer = ContactableCustomerFactory()
    now = timezone.now()
    InvitationFactory(customer=customer, created_at=now - timedelta(days=days_ago))
    survey = make_live_survey(contact_interval_days=survey_days)
    result = do_invite_customers(survey, [customer], "email", now=now)
    assert (len(result.queued) == 1) is invited


def test_one_task_per_queued_invitation_is_enqueued_on_commit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    customers = [ContactableCustomerFactory() for _ in range(3)]
    customers.append(ContactableCustomerFactory(consent_to_contact=False))
    with django_capture_on_commit_callbacks(execute=True):
        result = do_invite_customers(make_live_survey(), customers, "email")
        assert DBTaskResult.objects.count() == 0  # nothing before the commit
    queued = DBTaskResult.objects.filter(task_path__endswith="send_invitation")
    assert sorted(r.args_kwargs["args"][0] for r in queued) == sorted(
        inv.pk for inv in result.queued
    )
    event = AuditEvent.objects.get(verb="survey.customers_invited")
    assert event.data == {"channel": "email", "queued": 3, "suppressed": 1}


def test_sending_is_idempotent_and_records_the_status() -> None:
    invitation = InvitationFactory()
    assert do_send_invitation(invitation.pk) == Status.SENT
    assert do_send_invitation(invitation.pk) is None  # a second run of the task sends nothing
    invitation.refresh_from_db()
    assert invitation.status == Status.SENT and invitation.sent_at is not None
    assert len(mail.outbox) == 1


def test_customer_who_opts_out_before_sending_is_not_contacted() -> None:
    invitation = InvitationFactory()
    do_unsubscribe(invitation.customer)
    assert do_send_invitation(invitation.pk) == Status.SUPPRESSED
    invitation.refresh_from_db()
    assert (invitation.status, invitation.status_detail) == (Status.SUPPRESSED, "unsubscribed")
    assert invitation.sent_at is None and mail.outbox == []


def test_smtp_failure_is_recorded_as_failed(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    invitation = InvitationFactory()
    assert do_send_invitation(invitation.pk) == Status.FAILED
    invitation.refresh_from_db()
    assert invitation.status_detail.startswith("SMTP:") and invitation.sent_at is None


def test_end_to_end_with_the_immediate_task_backend(
    settings: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    customers = [ContactableCustomerFactory() for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        do_invite_customers(make_live_survey(), customers, "email")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in customers)
    assert set(Invitation.objects.values_list("status", flat=True)) == {Status.SENT}
