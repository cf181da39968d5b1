"""The bodies of the closed loop's periodic jobs (registered in ``LoopConfig.ready``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q

from pulso.loop import actions, digest, notifications, rules, sla, webhooks
from pulso.loop.models import Case


def lookback() -> timedelta:
    return timedelta(hours=int(getattr(settings, "PULSO_LOOP_LOOKBACK_HOURS", 48)))


def process_feedback(now: datetime) -> int:
    """Apply the rules to recent feedback (idempotent; picks up where a killed run stopped);
    arriving feedback gets them within seconds through ``feedback.recorded``."""
    return rules.process_recent_feedback(since=now - lookback(), now=now)


def monitor_slas(now: datetime) -> dict[str, int]:
    """Remind owners before deadlines; escalate overdue cases one level at a time."""
    counts = {"reminders": 0, "escalations": 0}
    soon = now + timedelta(days=2)
    near = Q(first_contacted_at__isnull=True, first_contact_due__lte=soon) | Q(
        resolution_due__lte=soon
    )
    for case in Case.objects.open().filter(near).select_related("unit", "owner"):
        for deadline in sla.reminders_due(case, now):
            actions.do_remind_case_owner(case, deadline, now)
            counts["reminders"] += 1
        if sla.escalation_due(case, now):
            chain = sla.escalation_chain(case.unit)
            if case.escalation_level < len(chain):
                actions.do_escalate_case(case, chain[case.escalation_level], now)
                counts["escalations"] += 1
    return counts


def retry_deliveries(now: datetime) -> dict[str, int]:
    return {"emails": notifications.send_due(now), "webhooks": webhooks.deliver_due(now)}


def daily(now: datetime) -> dict[str, Any]:
    """Apply the rules to the last days' feedback (the safety net of the event subscribers),
    remind and escalate cases, send the digests."""
    return {
        "rules_applied": process_feedback(now),
        "sla": monitor_slas(now),
        "digests": digest.send_daily_digests(now),
    }
