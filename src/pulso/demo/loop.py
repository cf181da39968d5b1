"""Demo step: cases for recent detractors, in every status, with timelines and recovery answers.

Rows are bulk-created (no emails are queued); each case also records the default detractor
rule as applied, so the worker's rule processing never opens a second case for the same response.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.loop import sla
from pulso.loop.actions import default_owner
from pulso.loop.defaults import load_default_rules
from pulso.loop.models import Case, CaseEvent, RecoveryInvitation, Rule, RuleApplication, SlaPolicy
from pulso.loop.rules import case_unit
from pulso.surveys.models import Response

MAX_CASES = 240
PATH = ["new", "in_progress", "customer_contacted", "resolved", "closed"]
NOTES = [
    "Llamé al cliente, no contesta. Lo intento mañana.",
    "El cliente confirma el problema; pedimos la pieza al proveedor.",
    "Ofrecemos un vale de 20 € como compensación.",
    "Revisado con el equipo de la tienda.",
]
RESOLUTIONS = [
    "Se reprogramó la entrega y se devolvieron los gastos de envío.",
    "El técnico volvió a instalar el aparato sin coste.",
    "Se cambió el producto por uno nuevo.",
]


def _final_status(rng: random.Random, age: timedelta, keep_open: bool = False) -> str:
    if keep_open:
        return rng.choice(["new", "in_progress", "customer_contacted"])
    if age > timedelta(days=21):
        return rng.choice(["closed"] * 6 + ["resolved", "customer_contacted"])
    if age > timedelta(days=5):
        return rng.choice(["closed", "resolved", "customer_contacted", "in_progress", "new"])
    return rng.choice(["new", "new", "in_progress", "customer_contacted"])


def _case(
    rng: random.Random,
    response: Response,
    unit: OrgUnit,
    owner: User | None,
    now: datetime,
    keep_open: bool = False,
) -> Case:
    # Every moment of the case's history lies in the past (a young case is opened up to now).
    opened = min(response.submitted_at + timedelta(hours=rng.randint(1, 12)), now)
    due = sla.deadlines("normal", opened)
    case = Case(
        title=f"NPS {response.nps} en {response.touchpoint}: {response.comment[:100]}".strip(),
        unit=unit, owner=owner, feedback_id=response.feedback_id, customer=response.customer,
        touchpoint=response.touchpoint, priority="normal", created_at=opened,
        first_contact_due=due.first_contact, resolution_due=due.resolution,
    )  # fmt: skip
    case.status = _final_status(rng, now - opened, keep_open)
    steps = PATH.index(case.status)
    contacted = min(opened + timedelta(hours=rng.randint(2, 70)), now)
    resolved = min(contacted + timedelta(hours=rng.randint(4, 120)), now)
    closed = min(resolved + timedelta(hours=rng.randint(1, 48)), now)
    if steps >= 2:
        case.first_contacted_at = contacted
    if steps >= 3:
        case.resolved_at, case.resolution = resolved, rng.choice(RESOLUTIONS)
    if steps >= 4:
        case.closed_at = closed
    return case


def _events(rng: random.Random, case: Case) -> list[CaseEvent]:
    events = [CaseEvent(case=case, kind="created", created_at=case.created_at,
                        data={"rule": "Detractor: abrir un caso"})]  # fmt: skip
    if case.owner:
        events.append(CaseEvent(case=case, kind="assigned", created_at=case.created_at,
                                data={"owner": case.owner.get_username()}))  # fmt: skip
    moments = [case.created_at + timedelta(hours=1), case.first_contacted_at,
               case.resolved_at, case.closed_at]  # fmt: skip
    for old, new, when in zip(PATH, PATH[1:], moments, strict=False):
        if when is None or PATH.index(new) > PATH.index(case.status):
            break
        events.append(CaseEvent(case=case, kind="status", actor=case.owner, created_at=when,
                                data={"old": old, "new": new}))  # fmt: skip
        if rng.random() < 0.5:
            note = rng.choice(NOTES)
            events.append(CaseEvent(case=case, kind="note", actor=case.owner, text=note,
                                    created_at=when + timedelta(minutes=5)))  # fmt: skip
    return events


def build(rng: random.Random, progress: Any) -> None:
    load_default_rules(Rule, SlaPolicy)
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    rule = Rule.objects.filter(name="Detractor: abrir un caso").first()
    detractors = Response.objects.filter(
        is_complete=True, nps__lte=6, feedback__cases__isnull=True
    ).select_related(
        "touchpoint", "customer", "feedback__touchpoint__owner_unit", "feedback__org_unit__parent"
    )
    newest = list(detractors.order_by("-submitted_at")[:MAX_CASES])
    # Every unit's latest detractor of the last month is still being worked on.
    recent = detractors.filter(submitted_at__gte=timezone.now() - timedelta(days=30))
    latest: dict[int | None, Response] = {}
    for response in recent.order_by("-submitted_at").iterator(2000):
        latest.setdefault(response.org_unit_id, response)
    open_ids = {r.pk for r in latest.values()}
    newest_ids = {r.pk for r in newest}
    responses = newest + [r for r in latest.values() if r.pk not in newest_ids]
    if root is None or not responses:
        return
    tick = progress("Cases", len(responses))
    now, owners = timezone.now(), {}
    cases = []
    for response in responses:
        # Where the default rule sends it (the same routing as the rules).
        unit = case_unit(Rule.CaseUnit.EXPERIENCE, response.feedback) or root
        if unit.pk not in owners:
            owners[unit.pk] = default_owner(unit)
        keep_open = response.pk in open_ids
        cases.append(_case(rng, response, unit, owners[unit.pk], now, keep_open))
        tick(1)
    cases = Case.objects.bulk_create(cases)
    CaseEvent.objects.bulk_create([e for case in cases for e in _events(rng, case)])
    if rule is not None:
        RuleApplication.objects.bulk_create(
            [
                RuleApplication(rule=rule, feedback=c.feedback, applied_at=c.created_at)
                for c in cases
            ],
            ignore_conflicts=True,
        )
    _recovery(rng, [c for c in cases if c.status == "closed" and c.customer_id])


def _recovery(rng: random.Random, closed: list[Case]) -> None:
    invitations = []
    for case in closed:
        answered = rng.random() < 0.6
        resolved = rng.random() < 0.7
        sent = case.closed_at or timezone.now()
        invitations.append(RecoveryInvitation(
            case=case, sent_at=sent, answered_at=sent + timedelta(days=1) if answered else None,
            resolved=resolved if answered else None,
            score=(rng.randint(7, 10) if resolved else rng.randint(0, 6)) if answered else None,
        ))  # fmt: skip
    RecoveryInvitation.objects.bulk_create(invitations)
