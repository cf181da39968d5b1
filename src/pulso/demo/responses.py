"""Demo customers and twelve months of survey responses with Spanish comments.

Scores follow a latent quality per touchpoint and store, with a few stories a CX team would
find: three weak stores, an online checkout that improves after a redesign, and home delivery
getting worse in the last weeks because of a new charge for flats without a lift.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.customers.models import Customer
from pulso.demo import in_the_past
from pulso.demo.comments import write_comment
from pulso.demo.org import FIRST_NAMES, LAST_NAMES
from pulso.surveys.models import Answer, Question, Response, Survey

CUSTOMERS = 12_000
DAILY_RESPONSES_PER_TOUCHPOINT = 3.6
STORE_CHANNELS = {"store", "home"}
SEGMENTS = [("Particular", 0.7), ("Profesional", 0.15), ("Premium", 0.15)]
BATCH = 2_000
# The new problem of home deliveries (a charge for flats without a lift) starts this many days
# before today, so that the weekly themes job sees this week's mentions jump.
EMERGING_DAYS = 12


@dataclass
class TouchpointPlan:
    survey: Survey
    questions: dict[str, Question]
    quality: float
    volume: float


def _customers(rng: random.Random) -> list[Customer]:
    segments = [name for name, _ in SEGMENTS]
    weights = [w for _, w in SEGMENTS]
    rows = []
    for n in range(1, CUSTOMERS + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        rows.append(
            Customer(
                external_id=f"EH-{n:06d}",
                name=f"{first} {last} {rng.choice(LAST_NAMES)}",
                email=f"cliente{n}@correo.example",
                phone=f"+346{rng.randrange(10_000_000, 99_999_999)}",
                language="en" if rng.random() < 0.04 else "es",
                segment=rng.choices(segments, weights)[0],
                value=Decimal(rng.randrange(80, 4_000)),
                consent_to_contact=rng.random() < 0.88,
            )
        )
    Customer.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return list(Customer.objects.filter(external_id__startswith="EH-"))


def _plans(rng: random.Random) -> list[TouchpointPlan]:
    plans = []
    surveys = Survey.objects.select_related("touchpoint", "current_version").order_by("pk")
    for survey in surveys:
        touchpoint = survey.touchpoint
        spread = 0.5 if touchpoint.is_moment_of_truth else 0.3
        volume = 2.0 if touchpoint.channel in STORE_CHANNELS else 1.0
        questions = {q.key: q for q in Question.objects.filter(version=survey.current_version)}
        plans.append(TouchpointPlan(survey, questions, rng.uniform(-spread, spread), volume))
    return plans


def demo_days() -> int:
    """How many days of history the demo writes (a year; tests ask for less)."""
    return int(getattr(settings, "PULSO_DEMO_DAYS", 365))


def _story(plan: TouchpointPlan, day: int, days: int) -> float:
    """Changes over time: day 0 is the first day of history, days - 1 is today."""
    name = plan.survey.touchpoint.name
    if name == "Carrito y pago":
        return -0.35 if day < days // 2 else 0.25
    if name == "Entrega a domicilio" and day > days - EMERGING_DAYS:
        return -0.6
    return 0.08 * math.sin(day / 58)


def _nps(rng: random.Random, quality: float) -> int:
    promoter = min(max(0.42 + 0.45 * quality, 0.03), 0.9)
    detractor = min(max(0.24 - 0.35 * quality, 0.03), 0.85)
    roll = rng.random()
    if roll < promoter:
        return rng.choice([9, 10, 10])
    if roll < promoter + detractor:
        return rng.choice([0, 1, 2, 3, 4, 5, 5, 6, 6, 6])
    return rng.choice([7, 8, 8])


def _secondary(rng: random.Random, nps: int, high: int) -> int:
    centre = 1 + (high - 1) * nps / 10
    return int(min(max(round(rng.gauss(centre, 0.8)), 1), high))


def _unit_for(rng: random.Random, plan: TouchpointPlan, stores: list[OrgUnit]) -> OrgUnit | None:
    if plan.survey.touchpoint.channel in STORE_CHANNELS:
        return rng.choice(stores)
    return plan.survey.touchpoint.owner_unit


def build(rng: random.Random, progress: Any) -> None:
    if Response.objects.exists():
        return
    customers = _customers(rng)
    stores = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).order_by("pk"))
    store_quality = {s.pk: rng.gauss(0, 0.12) for s in stores}
    for weak in rng.sample(stores, 3):
        store_quality[weak.pk] = -0.45
    plans = _plans(rng)
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    days = demo_days()
    start -= timedelta(days=days - 1)
    tick = progress("Survey responses", days)
    pending: list[tuple[Response, list[Answer]]] = []
    for day in range(days):
        for plan in plans:
            expected = DAILY_RESPONSES_PER_TOUCHPOINT * plan.volume / 1.5
            for _ in range(_poisson(rng, expected)):
                context = (day, days, start)
                pending.append(_response(rng, plan, context, stores, store_quality, customers))
        if len(pending) >= BATCH:
            _save(pending)
            pending = []
        tick(1)
    _save(pending)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _response(
    rng: random.Random,
    plan: TouchpointPlan,
    context: tuple[int, int, datetime],
    stores: list[OrgUnit],
    store_quality: dict[int, float],
    customers: list[Customer],
) -> tuple[Response, list[Answer]]:
    day, days, start = context
    touchpoint = plan.survey.touchpoint
    unit = _unit_for(rng, plan, stores)
    quality = (
        plan.quality + _story(plan, day, days) + store_quality.get(unit.pk if unit else 0, 0.0)
    )
    nps = _nps(rng, quality)
    customer = rng.choice(customers) if rng.random() < 0.85 else None
    response = Response(
        survey=plan.survey,
        version=plan.survey.current_version,
        touchpoint=touchpoint,
        journey_id=touchpoint.stage.journey_id,
        org_unit=unit,
        customer=customer,
        channel=_channel(rng, touchpoint.channel),
        language=customer.language if customer else "es",
        segment=customer.segment if customer else "",
        is_complete=True,
        nps=nps,
    )
    when = start + timedelta(days=day, minutes=rng.randrange(0, 12 * 60))
    response.submitted_at = in_the_past(when, timezone.now())
    response.started_at = response.submitted_at - timedelta(seconds=rng.randrange(40, 400))
    answers = [Answer(question=plan.questions["nps"], number=nps)]
    for key, high in (("csat", 5), ("ces", 7)):
        if key in plan.questions and rng.random() < 0.9:
            value = _secondary(rng, nps, high)
            setattr(response, key, value)
            answers.append(Answer(question=plan.questions[key], number=value))
    _add_comment(rng, plan, response, answers, day > days - EMERGING_DAYS)
    return response, answers


def _add_comment(
    rng: random.Random,
    plan: TouchpointPlan,
    response: Response,
    answers: list[Answer],
    recent: bool,
) -> None:
    group = response.nps_group or "passive"
    if rng.random() > {"detractor": 0.72, "passive": 0.45, "promoter": 0.4}[group]:
        return
    touchpoint = plan.survey.touchpoint
    emerging = (
        touchpoint.channel == "home" and recent and group == "detractor" and rng.random() < 0.75
    )
    text = write_comment(rng, touchpoint.channel, touchpoint.name, group, emerging)
    response.comment = text
    answers.append(Answer(question=plan.questions[f"{group}_comment"], text=text))


def _channel(rng: random.Random, touchpoint_channel: str) -> str:
    if touchpoint_channel == "store" and rng.random() < 0.3:
        return "qr"
    return rng.choices(["email", "sms", "link"], [0.65, 0.2, 0.15])[0]


def _save(pending: list[tuple[Response, list[Answer]]]) -> None:
    if not pending:
        return
    responses = Response.objects.bulk_record([r for r, _ in pending], batch_size=BATCH)
    answers = []
    for response, response_answers in zip(responses, (a for _, a in pending), strict=True):
        for answer in response_answers:
            answer.response = response
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=BATCH)
