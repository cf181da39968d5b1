"""Demo step: an initiative with a pilot in eight stores, measured against eight others.

Eight stores of the Centro region started booking pickup appointments 28 days ago; eight stores
of Cataluña y Aragón did not. Customers of the product-pickup touchpoint answer in both groups
before and after; the pilot stores' customers are happier after the start. Whatever the pilot
page then says comes from the difference-in-differences over all of these stores' pickup
answers (these and those of the history), not from this module. No answer is dated after
yesterday.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.initiatives.models import Initiative, Pilot
from pulso.journeys.models import Touchpoint
from pulso.surveys.models import Answer, Question, Response, Survey
from pulso.textanalytics.models import Topic

TOUCHPOINT = "Recogida del producto"
TREATED_REGION, CONTROL_REGION = "region-centro", "region-cataluna-y-aragon"
STORES_PER_GROUP = 8
WINDOW_DAYS = 28
ANSWERS_PER_STORE_AND_WINDOW = 40
UPLIFT = 0.4  # latent quality gained by the pilot stores' customers after the start


def build(rng: random.Random, progress: Any) -> None:
    if Initiative.objects.filter(title__startswith="Cita previa").exists():
        return
    tick = progress("Initiatives and pilots", 1)
    survey = Survey.objects.filter(touchpoint__name=TOUCHPOINT).order_by("pk").first()
    treated = _stores(TREATED_REGION)
    control = _stores(CONTROL_REGION)
    if survey is None or len(treated) < 2 or len(control) < 2:
        return
    today = timezone.localdate()
    after_start = today - dt.timedelta(days=WINDOW_DAYS)
    before_start = after_start - dt.timedelta(days=WINDOW_DAYS)
    for store in treated + control:
        quality = rng.gauss(0, 0.15)
        for start, uplift in ((before_start, 0.0), (after_start, UPLIFT)):
            gain = uplift if store in treated else 0.0
            _answers(rng, survey, store, start, quality + gain)
    _initiative(survey.touchpoint, (treated, control), before_start, after_start, today)
    tick(1)


def _stores(region_code: str) -> list[OrgUnit]:
    stores = OrgUnit.objects.filter(parent__code=region_code, kind=OrgUnit.Kind.STORE)
    return list(stores.order_by("pk")[:STORES_PER_GROUP])


def _nps(rng: random.Random, quality: float) -> int:
    promoter = min(max(0.42 + 0.45 * quality, 0.03), 0.9)
    detractor = min(max(0.24 - 0.35 * quality, 0.03), 0.85)
    roll = rng.random()
    if roll < promoter:
        return rng.choice([9, 10])
    return rng.choice([0, 3, 5, 6]) if roll < promoter + detractor else rng.choice([7, 8])


def _answers(
    rng: random.Random, survey: Survey, store: OrgUnit, start: dt.date, quality: float
) -> None:
    nps_question = Question.objects.get(version=survey.current_version, key="nps")
    touchpoint = survey.touchpoint
    pending = []
    for _ in range(ANSWERS_PER_STORE_AND_WINDOW):
        day = start + dt.timedelta(days=rng.randrange(WINDOW_DAYS))  # yesterday at the latest
        moment = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=rng.randrange(660))
        nps = _nps(rng, quality)
        response = Response(
            survey=survey,
            version=survey.current_version,
            touchpoint=touchpoint,
            journey_id=touchpoint.stage.journey_id,
            org_unit=store,
            channel="sms",
            language="es",
            is_complete=True,
            nps=nps,
        )
        response.submitted_at = timezone.make_aware(moment)
        response.started_at = response.submitted_at - dt.timedelta(seconds=90)
        pending.append((response, nps))
    saved = Response.objects.bulk_record([r for r, _ in pending])
    Answer.objects.bulk_create(
        Answer(response=r, question=nps_question, number=nps)
        for r, (_, nps) in zip(saved, pending, strict=True)
    )


def _initiative(
    touchpoint: Touchpoint,
    units: tuple[list[OrgUnit], list[OrgUnit]],
    before_start: dt.date,
    after_start: dt.date,
    today: dt.date,
) -> None:
    company = OrgUnit.objects.get(code="electrohogar")
    initiative = Initiative.objects.create(
        title="Cita previa para recoger el producto",
        problem="Los clientes esperan mucho en el almacén de la tienda para recoger lo que han "
        "comprado: «media hora esperando a que sacaran la lavadora».",
        org_unit=company,
        status=Initiative.Status.PILOTING,
        cost=18_000,
        expected_impact=8,
    )
    initiative.topics.set(Topic.objects.filter(slug="espera"))
    initiative.touchpoints.set([touchpoint])
    pilot = Pilot.objects.create(
        initiative=initiative,
        name="Cita previa en ocho tiendas de Centro",
        metric=Pilot.Metric.NPS,
        touchpoint=touchpoint,
        before_start=before_start,
        before_end=after_start - dt.timedelta(days=1),
        after_start=after_start,
        after_end=today - dt.timedelta(days=1),
    )
    pilot.treated_units.set(units[0])
    pilot.control_units.set(units[1])
