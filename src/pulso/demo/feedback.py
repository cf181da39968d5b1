"""Demo unsolicited feedback: store reviews, social-media posts and contact-centre notes."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.demo import in_the_past
from pulso.demo.comments import write_comment
from pulso.demo.responses import EMERGING_DAYS, demo_days
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint

ITEMS_PER_DAY = 12
REVIEW_SITES = ["Google", "Trustpilot", "Opiniones Verificadas"]
SOCIAL_NETWORKS = ["X", "Instagram", "Facebook"]
SOCIAL_OPENERS = ["@ElectroHogar ", "", "", "Ojo con @ElectroHogar: ", "#ElectroHogar "]
STARS = {"detractor": [1, 1, 2], "passive": [3, 3, 4], "promoter": [4, 5, 5]}


def _group(rng: random.Random) -> str:
    return rng.choices(["detractor", "passive", "promoter"], [0.35, 0.25, 0.4])[0]


def _review(rng: random.Random, store: OrgUnit, touchpoint: Touchpoint | None) -> Feedback:
    group = _group(rng)
    return Feedback(
        source=Feedback.Source.REVIEW,
        source_name=rng.choice(REVIEW_SITES),
        channel="store",
        text=write_comment(rng, "store", "tienda", group, emerging=False),
        rating=Decimal(rng.choice(STARS[group])),
        rating_scale_max=5,
        author=f"Cliente de {store.city or store.name}",
        touchpoint=touchpoint,
        org_unit=store,
    )


def _social(rng: random.Random, touchpoint: Touchpoint, recent: bool) -> Feedback:
    group = rng.choices(["detractor", "passive", "promoter"], [0.55, 0.15, 0.3])[0]
    emerging = recent and touchpoint.channel == "home" and rng.random() < 0.3
    text = write_comment(rng, touchpoint.channel, touchpoint.name, group, emerging)
    return Feedback(
        source=Feedback.Source.SOCIAL,
        source_name=rng.choice(SOCIAL_NETWORKS),
        channel="social",
        text=rng.choice(SOCIAL_OPENERS) + text,
        author=f"@usuario{rng.randrange(1000, 99999)}",
        touchpoint=touchpoint,
        org_unit=touchpoint.owner_unit,
    )


def _note(rng: random.Random, touchpoint: Touchpoint, centre: OrgUnit | None) -> Feedback:
    text = write_comment(rng, "call_centre", touchpoint.name, _group(rng), emerging=False)
    return Feedback(
        source=Feedback.Source.CONTACT_CENTRE,
        source_name="Centralita",
        channel="call_centre",
        text=f"Cliente llama. {text}",
        author="Agente",
        touchpoint=touchpoint,
        org_unit=centre,
    )


def build(rng: random.Random, progress: Any) -> None:
    if Feedback.objects.unsolicited().exists():
        return
    stores = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).order_by("pk"))
    centre = OrgUnit.objects.filter(kind=OrgUnit.Kind.CONTACT_CENTRE).first()
    touchpoints = list(Touchpoint.objects.select_related("owner_unit").order_by("pk"))
    store_touchpoint = next((t for t in touchpoints if t.channel == "store"), None)
    calls = [t for t in touchpoints if t.channel == "call_centre"] or touchpoints
    days = demo_days()
    start = timezone.now() - timedelta(days=days - 1)
    tick = progress("Unsolicited feedback", days)
    items: list[Feedback] = []
    for day in range(days):
        for _ in range(ITEMS_PER_DAY):
            roll = rng.random()
            if roll < 0.5:
                item = _review(rng, rng.choice(stores), store_touchpoint)
            elif roll < 0.8:
                item = _social(rng, rng.choice(touchpoints), day > days - EMERGING_DAYS)
            else:
                item = _note(rng, rng.choice(calls), centre)
            when = start + timedelta(days=day, minutes=rng.randrange(0, 14 * 60))
            item.received_at = in_the_past(when, timezone.now())
            items.append(item)
        tick(1)
    Feedback.objects.bulk_create(items, batch_size=2_000)
