"""Service recovery: after a case is closed, ask the customer whether the problem was solved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pulso.core.audit import record_event
from pulso.lib.scores import nps
from pulso.loop import notifications
from pulso.loop.actions import add_event
from pulso.loop.models import Case, CaseEvent, Notification, RecoveryInvitation


def recovery_url(invitation: RecoveryInvitation) -> str:
    path = reverse("loop:recovery", args=[invitation.token])
    return settings.PULSO_BASE_URL.rstrip("/") + path


def invite_to_recovery_survey(case: Case) -> RecoveryInvitation | None:
    """Called inside the closing transaction; one invitation per case, ever."""
    customer = case.customer
    if customer is None or not customer.email or not customer.consent_to_contact:
        return None
    invitation, created = RecoveryInvitation.objects.get_or_create(case=case)
    if not created:
        return invitation
    language = customer.language if customer.language in ("es", "en") else "es"
    with translation.override(language):
        subject = _("Have we solved your problem?")
        body = _(
            "Hello %(name)s,\n\nWe have been working on what you told us. "
            "Have we solved your problem? Two questions, one minute:\n\n%(url)s\n\n%(company)s"
        ) % {
            "name": customer.name,
            "url": recovery_url(invitation),
            "company": settings.PULSO_COMPANY_NAME,
        }
    notifications.queue_email(
        Notification.Kind.RECOVERY, customer.email, subject, body, f"recovery:{case.pk}", case
    )
    add_event(case, CaseEvent.Kind.RECOVERY, None, sent=True)
    return invitation


@transaction.atomic
def do_record_recovery_answer(
    invitation: RecoveryInvitation, resolved: bool, score: int | None, comment: str = ""
) -> RecoveryInvitation:
    """Store the customer's answer (the first one counts; a second submission changes nothing)."""
    invitation = RecoveryInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered_at is not None:
        return invitation
    invitation.answered_at = timezone.now()
    invitation.resolved, invitation.score, invitation.comment = resolved, score, comment.strip()
    invitation.save(update_fields=["answered_at", "resolved", "score", "comment"])
    add_event(invitation.case, CaseEvent.Kind.RECOVERY, None, resolved=resolved, score=score)
    record_event("recovery.answered", invitation.case, None, resolved=resolved, score=score)
    return invitation


@dataclass(frozen=True)
class RecoveryStats:
    invited: int
    answered: int
    recovered: int
    nps: float | None

    @property
    def recovery_rate(self) -> float | None:
        """Share of answering customers who say the problem was solved."""
        return self.recovered / self.answered if self.answered else None


def recovery_stats(cases: QuerySet[Any]) -> RecoveryStats:
    invitations = RecoveryInvitation.objects.filter(case__in=cases)
    answered = invitations.filter(answered_at__isnull=False)
    scores = [s for s in answered.values_list("score", flat=True) if s is not None]
    return RecoveryStats(
        invited=invitations.count(),
        answered=answered.count(),
        recovered=answered.filter(resolved=True).count(),
        nps=nps(scores),
    )
