"""Demo audits: checklists for the in-store touchpoints, a mystery shopper for every region,
two past visits to every store and a few visits planned for the coming weeks.

Stores differ in how well they keep the standards, so the emitted-versus-perceived chart has
something to show; visits are dated in the past only (planned ones are plans, not answers).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from pulso.accounts.models import Membership, OrgUnit, Role
from pulso.audits.actions import AnswerIn, do_plan_visit, do_record_visit
from pulso.audits.models import Checklist, Standard, Visit
from pulso.journeys.models import Touchpoint

SHOPPER = "cliente.misterioso"
# (text, kind, weight, critical)
STANDARDS: list[tuple[str, str, int, bool]] = [
    ("Saludo al cliente en menos de 30 segundos", "yes_no", 3, True),
    ("Vendedor identificado con su placa", "yes_no", 1, False),
    ("Amabilidad y conocimiento del producto", "scale", 2, False),
    ("Tienda limpia, ordenada y con la campaña vigente", "photo", 2, False),
    ("Precios visibles en todos los productos expuestos", "yes_no", 2, True),
    ("Observaciones", "comment", 1, False),
]
COMMENTS = [
    "Mucha gente en tienda y un solo vendedor en la zona.",
    "Me atendieron rápido y me explicaron bien las opciones.",
    "Varios productos sin precio en el lineal de pequeño electrodoméstico.",
    "Tienda impecable.",
    "",
]


def _checklists(touchpoints: list[Touchpoint]) -> list[Checklist]:
    found = []
    for touchpoint in touchpoints:
        checklist = Checklist.objects.create(
            name=f"Estándares de {touchpoint.name.lower()}", touchpoint=touchpoint
        )
        Standard.objects.bulk_create(
            Standard(checklist=checklist, text=text, kind=kind, weight=weight,
                     is_critical=critical, position=position)
            for position, (text, kind, weight, critical) in enumerate(STANDARDS)
        )  # fmt: skip
        found.append(checklist)
    return found


def _shopper(regions: list[OrgUnit]) -> Any:
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=SHOPPER,
        defaults={"first_name": "Marta", "last_name": "Ibáñez", "email": f"{SHOPPER}@example.com"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    for region in regions:
        Membership.objects.get_or_create(
            user=user, unit=region, defaults={"role": Role.AGENT, "job_title": "Cliente misterioso"}
        )
    return user


def _answers(rng: random.Random, visit: Visit, care: float) -> dict[int, AnswerIn]:
    given = {}
    for standard in visit.checklist.standards.all():
        # Critical standards are kept more often; a careless store still slips now and then.
        keep = min(0.98, care + 0.1) if standard.is_critical else care
        if standard.kind == Standard.Kind.SCALE:
            given[standard.pk] = AnswerIn(
                rating=max(1, min(5, round(rng.gauss(1 + 4 * care, 0.8))))
            )
        elif standard.kind == Standard.Kind.COMMENT:
            given[standard.pk] = AnswerIn(comment=rng.choice(COMMENTS))
        else:
            given[standard.pk] = AnswerIn(passed=rng.random() < keep)
    return given


def build(rng: random.Random, progress: Any) -> None:
    if Checklist.objects.exists():
        return
    touchpoints = list(Touchpoint.objects.filter(channel="store").order_by("pk")[:2])
    stores = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).order_by("pk"))
    if not touchpoints or not stores:
        return
    checklists = _checklists(touchpoints)
    shopper = _shopper(list(OrgUnit.objects.filter(kind=OrgUnit.Kind.REGION).order_by("pk")))
    now = timezone.now()
    tick = progress("Audits and mystery shopping", len(stores))
    for store in stores:
        care = rng.uniform(0.55, 0.95)
        for checklist in checklists:
            for days_ago in sorted(rng.sample(range(3, 85), 2), reverse=True):
                visited = now - timedelta(days=days_ago, minutes=rng.randrange(0, 8 * 60))
                visit = do_plan_visit(
                    checklist=checklist, unit=store, auditor=shopper,
                    kind=Visit.Kind.MYSTERY_SHOPPING, planned_for=visited.date(),
                )  # fmt: skip
                do_record_visit(
                    visit, _answers(rng, visit, care), token=f"demo-{visit.pk}", visited_at=visited
                )
        if rng.random() < 0.3:
            do_plan_visit(
                checklist=rng.choice(checklists), unit=store, auditor=shopper,
                kind=Visit.Kind.MYSTERY_SHOPPING,
                planned_for=(now + timedelta(days=rng.randrange(2, 21))).date(),
            )  # fmt: skip
        tick(1)
