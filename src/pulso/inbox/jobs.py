"""The inbox's periodic jobs (registered in ``InboxConfig.ready``)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from pulso.inbox import actions, channels, mail, notices, sla
from pulso.inbox.models import Conversation


def fetch_mail(now: datetime) -> int:
    """Every minute: the mailbox's new mail into conversations (nothing when not configured)."""
    return mail.fetch_new_mail()


def monitor_slas(now: datetime) -> int:
    """Escalate conversations past a deadline, one level at a time; returns how many."""
    escalated = 0
    late = Q(first_responded_at__isnull=True, first_response_due__lt=now) | Q(
        resolution_due__lt=now
    )
    running = Conversation.objects.exclude(status=Conversation.Status.CLOSED).filter(late)
    for conversation in running.select_related("org_unit").iterator():
        if sla.escalation_due(conversation, now):
            chain = sla.escalation_chain(conversation.org_unit)
            if conversation.escalation_level < len(chain):
                actions.do_escalate(conversation, chain[conversation.escalation_level], now)
                escalated += 1
    return escalated


def retry_deliveries(now: datetime) -> dict[str, int]:
    return {"emails": notices.send_due(now), "replies": channels.deliver_due(now)}
