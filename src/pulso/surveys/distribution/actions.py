"""State changes of invitations: inviting customers, sending, reminding, bounces, opens."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.core.audit import record_event
from pulso.customers.models import Customer
from pulso.surveys.distribution.content import sms_body
from pulso.surveys.distribution.emails import send_invitation_email
from pulso.surveys.distribution.rules import (
    INVITABLE_CHANNELS,
    customer_reason,
    plan_invitations,
)
from pulso.surveys.distribution.sms import get_sms_provider
from pulso.surveys.models import Invitation, Survey

Status = Invitation.Status
REMINDABLE = (Status.SENT, Status.OPENED)


class InvitationStateError(Exception):
    """The invitation is in a state where the requested change makes no sense."""


@dataclass
class InviteResult:
    queued: list[Invitation] = field(default_factory=list)
    suppressed: list[Invitation] = field(default_factory=list)


@transaction.atomic
def do_invite_customers(
    survey: Survey,
    customers: Iterable[Customer],
    channel: str,
    org_unit: OrgUnit | None = None,
    actor: AnyUser | None = None,
    now: datetime | None = None,
) -> InviteResult:
    """Create one invitation per customer: queued (and sent on commit) or suppressed with
    the reason, following consent, opt-outs, addresses and the contact-frequency rule."""
    now = now or timezone.now()
    unit = org_unit or survey.org_unit
    plan = plan_invitations(survey, customers, channel, now)
    invitations = Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            customer=item.customer,
            org_unit=unit,
            channel=channel,
            created_at=now,
            status=Status.SUPPRESSED if item.reason else Status.QUEUED,
            status_detail=item.reason or "",
        )
        for item in plan
    )
    result = InviteResult()
    for invitation in invitations:
        bucket = result.suppressed if invitation.status == Status.SUPPRESSED else result.queued
        bucket.append(invitation)
    record_event(
        "survey.customers_invited",
        survey,
        actor,
        channel=channel,
        queued=len(result.queued),
        suppressed=len(result.suppressed),
    )
    ids = [invitation.pk for invitation in result.queued]
    transaction.on_commit(lambda: _enqueue_sends(ids))
    return result


def _enqueue_sends(invitation_ids: list[int]) -> None:
    from pulso.surveys.distribution.tasks import send_invitation

    for invitation_id in invitation_ids:
        send_invitation.enqueue(invitation_id)


def _load(invitation_id: int) -> Invitation:
    return Invitation.objects.select_related("customer", "survey__current_version").get(
        pk=invitation_id
    )


def _deliver(invitation: Invitation, reminder: bool) -> tuple[str, str]:
    """Send by the invitation's channel; (status, detail) of the attempt."""
    if invitation.channel == "email":
        try:
            send_invitation_email(invitation, reminder)
        except smtplib.SMTPRecipientsRefused as exc:
            return Status.BOUNCED, f"SMTP: {exc.recipients}"[:300]
        except (smtplib.SMTPException, OSError) as exc:
            return Status.FAILED, f"SMTP: {exc}"[:300]
        return Status.SENT, ""
    result = get_sms_provider().send(
        invitation.customer.phone, sms_body(invitation, reminder), invitation.token
    )
    return result.status, result.detail[:300]


def do_send_invitation(invitation_id: int) -> str | None:
    """Send a queued invitation once; returns the new status, or None if it was not queued.

    The invitation is claimed by stamping ``sent_at`` while still queued, so that two workers
    running the same task cannot both send it.
    """
    claimed = Invitation.objects.filter(
        pk=invitation_id, status=Status.QUEUED, sent_at__isnull=True
    ).update(sent_at=timezone.now())
    if not claimed:
        return None
    invitation = _load(invitation_id)
    # The customer may have opted out between queueing and sending.
    reason = customer_reason(invitation.customer, invitation.channel)
    if reason:
        status, detail, sent_at = str(Status.SUPPRESSED), str(reason), None
    else:
        status, detail = _deliver(invitation, reminder=False)
        sent_at = invitation.sent_at if status == Status.SENT else None
    Invitation.objects.filter(pk=invitation_id).update(
        status=status, status_detail=detail, sent_at=sent_at
    )
    return status


def due_reminders(now: datetime) -> QuerySet[Invitation]:
    """Invitations sent at least PULSO_REMINDER_DAYS ago, unanswered and not yet reminded."""
    cutoff = now - timedelta(days=int(settings.PULSO_REMINDER_DAYS))
    return Invitation.objects.filter(
        status__in=REMINDABLE,
        channel__in=INVITABLE_CHANNELS,
        reminded_at__isnull=True,
        sent_at__lte=cutoff,
        response__isnull=True,
        survey__status=Survey.Status.LIVE,
    )


def do_send_reminder(invitation_id: int, now: datetime | None = None) -> bool:
    """Send the one reminder of an invitation; False when it was not due or not delivered."""
    claimed = Invitation.objects.filter(
        pk=invitation_id, status__in=REMINDABLE, reminded_at__isnull=True, response__isnull=True
    ).update(reminded_at=now or timezone.now())
    if not claimed:
        return False
    invitation = _load(invitation_id)
    reason = customer_reason(invitation.customer, invitation.channel)
    if reason:
        Invitation.objects.filter(pk=invitation_id).update(status_detail=str(reason))
        return False
    status, detail = _deliver(invitation, reminder=True)
    if status != Status.SENT:
        # The first message did arrive, so the invitation keeps its status; the detail says
        # what happened to the reminder.
        Invitation.objects.filter(pk=invitation_id).update(status_detail=detail)
    return status == Status.SENT


@transaction.atomic
def do_mark_bounced(
    invitation: Invitation, detail: str = "", actor: AnyUser | None = None
) -> Invitation:
    """Record that the message could not be delivered (reported by the mail server or SMS
    provider after the fact)."""
    if invitation.status in (Status.ANSWERED, Status.SUPPRESSED):
        raise InvitationStateError(invitation.get_status_display())
    invitation.status = Status.BOUNCED
    invitation.status_detail = detail[:300]
    invitation.save(update_fields=["status", "status_detail"])
    record_event("invitation.bounced", invitation, actor, detail=detail[:300])
    return invitation


def do_mark_opened(invitation: Invitation, now: datetime | None = None) -> bool:
    """First open of a sent invitation (tracking pixel); later opens change nothing."""
    updated = Invitation.objects.filter(
        pk=invitation.pk, status=Status.SENT, opened_at__isnull=True
    ).update(status=Status.OPENED, opened_at=now or timezone.now())
    return bool(updated)
