"""The audit log as administrators read it: filtered, paginated and exported."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from pulso.core.models import AuditEvent

EXPORT_HEADER = ["when", "who", "action", "object type", "object id", "object", "details"]


@dataclass(frozen=True)
class AuditFilters:
    """What the person asked for; every field optional."""

    action: str = ""  # a verb or its start ("case." for everything about cases)
    actor: str = ""  # a username
    object_type: str = ""
    since: date | None = None
    until: date | None = None  # inclusive


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor").order_by("-created_at", "-pk")
    if filters.action:
        events = events.filter(verb__startswith=filters.action)
    if filters.actor:
        events = events.filter(actor__username=filters.actor)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.since:
        events = events.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        events = events.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    return events


def verbs() -> list[str]:
    """Every action recorded so far (for the filter's suggestions)."""
    return list(AuditEvent.objects.order_by("verb").values_list("verb", flat=True).distinct())


def details(data: object) -> str:
    """An event's details in one line ("key: value; …"), whatever keys they have."""
    if not isinstance(data, dict):
        return "" if data in (None, "", [], {}) else str(data)
    return "; ".join(f"{key}: {value}" for key, value in data.items())


def export_rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    for event in events.iterator(2000):
        details = json.dumps(event.data, ensure_ascii=False, sort_keys=True, default=str)
        cells = [
            timezone.localtime(event.created_at).isoformat(timespec="seconds"),
            event.actor.get_username() if event.actor else "",
            event.verb,
            event.object_type,
            event.object_id,
            event.object_repr,
            details if event.data else "",
        ]
        yield [_inert(cell) for cell in cells]


def _inert(cell: str) -> str:
    """Spreadsheet apps run cells starting with these as formulas (CSV injection)."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell
