"""An agent's home: their queue, overdue first then by next deadline, and their units' unassigned
cases."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from pulso.core.access import AnyUser
from pulso.loop.models import Case, CaseQuerySet

QUEUE_LIMIT = 10


@dataclass
class AgentHome:
    queue: list[Case]
    queue_total: int
    unassigned: list[Case]
    unassigned_total: int


def _by_deadline(cases: CaseQuerySet) -> CaseQuerySet:
    return (
        cases.open()
        .with_overdue_flag()
        .select_related("unit", "touchpoint")
        .order_by("-overdue", "next_due", "pk")
    )


def agent_home(user: AnyUser, paths: list[str]) -> AgentHome:
    mine = Case.objects.filter(owner_id=user.pk) if user.pk else Case.objects.none()
    queue = _by_deadline(mine)
    in_units = Q(pk__in=[])
    for path in paths:
        in_units |= Q(unit__path__startswith=path)
    unassigned = _by_deadline(Case.objects.visible_to(user).filter(in_units, owner__isnull=True))
    return AgentHome(
        queue=list(queue[:QUEUE_LIMIT]),
        queue_total=queue.count(),
        unassigned=list(unassigned[:QUEUE_LIMIT]),
        unassigned_total=unassigned.count(),
    )
