"""The inbox's SLAs: a first answer and a resolution within office time of the moment a
conversation starts waiting for a person; escalation up the org tree once one is missed, the
way cases escalate (the team's managers, then the next unit up with any)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from pulso.accounts.models import OrgUnit
from pulso.inbox import office_hours
from pulso.inbox.models import Conversation


def first_response_time() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "PULSO_INBOX_FIRST_RESPONSE_MINUTES", 60)))


def resolution_time() -> timedelta:
    return timedelta(hours=int(getattr(settings, "PULSO_INBOX_RESOLUTION_HOURS", 24)))


def deadlines(start: datetime) -> tuple[datetime, datetime]:
    """(first answer due, resolution due) for a wait that starts at ``start``."""
    return (
        office_hours.add_working_time(start, first_response_time()),
        office_hours.add_working_time(start, resolution_time()),
    )


def escalation_chain(unit: OrgUnit | None) -> list[list[Any]]:
    """Managers to tell, level by level: the team's, then the next unit up with any; a
    conversation of the whole company goes to the managers of the top units."""
    if unit is None:
        candidates = list(OrgUnit.objects.filter(parent__isnull=True).order_by("pk"))
    else:
        candidates = [unit, *reversed(unit.ancestors())]
    chain: list[list[Any]] = []
    for candidate in candidates:
        managers = [m.user for m in candidate.managers() if m.user.is_active]
        if managers:
            chain.append(managers)
    return chain


def escalation_due(conversation: Conversation, now: datetime) -> bool:
    """Level 1 as soon as a deadline passes; each next level after the configured delay."""
    if conversation.sla_state(now) != "overdue":
        return False
    if conversation.escalation_level == 0 or conversation.escalated_at is None:
        return conversation.escalation_level == 0
    again = timedelta(hours=int(getattr(settings, "PULSO_INBOX_ESCALATE_AGAIN_HOURS", 8)))
    return now >= conversation.escalated_at + again
