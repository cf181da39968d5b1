"""SLA deadlines, reminders before them and escalation up the org tree once they pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pulso.accounts.models import OrgUnit
from pulso.loop.models import Case, Priority, SlaPolicy

# Used when an administrator deleted the policy of a priority: cases still get deadlines.
FALLBACK_HOURS: dict[str, tuple[int, int]] = {
    Priority.URGENT: (4, 24),
    Priority.HIGH: (24, 72),
    Priority.NORMAL: (48, 168),
    Priority.LOW: (72, 336),
}


@dataclass(frozen=True)
class Deadlines:
    first_contact: datetime
    resolution: datetime


def policy_for(priority: str) -> SlaPolicy:
    policy = SlaPolicy.objects.filter(priority=priority).first()
    if policy is None:
        contact, resolution = FALLBACK_HOURS.get(priority, FALLBACK_HOURS[Priority.NORMAL])
        policy = SlaPolicy(
            priority=priority, first_contact_hours=contact, resolution_hours=resolution
        )
    return policy


def deadlines(priority: str, opened_at: datetime) -> Deadlines:
    policy = policy_for(priority)
    return Deadlines(
        first_contact=opened_at + timedelta(hours=policy.first_contact_hours),
        resolution=opened_at + timedelta(hours=policy.resolution_hours),
    )


def escalation_chain(unit: OrgUnit) -> list[list[Any]]:
    """Managers to escalate to, level by level: the unit's, then the next unit up with any."""
    chain: list[list[Any]] = []
    for candidate in [unit, *reversed(unit.ancestors())]:
        managers = [m.user for m in candidate.managers() if m.user.is_active]
        if managers:
            chain.append(managers)
    return chain


def missed_deadline(case: Case, now: datetime) -> datetime | None:
    """The earliest deadline the case has missed, or None."""
    missed = []
    if case.first_contacted_at is None and case.first_contact_due < now:
        missed.append(case.first_contact_due)
    if case.resolution_due < now:
        missed.append(case.resolution_due)
    return min(missed) if missed else None


def escalation_due(case: Case, now: datetime) -> bool:
    """Level 1 as soon as a deadline is missed; each next level after the policy's delay."""
    if not case.is_open or missed_deadline(case, now) is None:
        return False
    if case.escalation_level == 0:
        return True
    if case.escalated_at is None:
        return False
    delay = timedelta(hours=policy_for(case.priority).escalate_again_hours)
    return now >= case.escalated_at + delay


def reminders_due(case: Case, now: datetime) -> list[str]:
    """Which deadlines ("first_contact", "resolution") are close enough to remind the owner."""
    if not case.is_open:
        return []
    window = timedelta(hours=policy_for(case.priority).reminder_hours)
    due = []
    if case.first_contacted_at is None and case.contact_reminded_at is None:
        if now < case.first_contact_due <= now + window:
            due.append("first_contact")
    if case.resolution_reminded_at is None and now < case.resolution_due <= now + window:
        due.append("resolution")
    return due
