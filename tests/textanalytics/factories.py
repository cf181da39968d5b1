"""Builders of comments for the text analytics tests: responses and feedback in bulk."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.feedback.models import Feedback
from pulso.surveys.models import Response, Survey
from pulso.textanalytics import pipeline_service
from tests.surveys.factories import make_survey

POSITIVE = [
    "el personal fue muy amable y atento",
    "excelente atención, todo perfecto",
    "la entrega llegó puntual, estupendo servicio",
    "me encantó la tienda, muy limpia y ordenada",
    "el técnico fue rápido y profesional",
    "genial, lo recomiendo sin duda",
]
NEGATIVE = [
    "pésimo servicio, nadie me atendió",
    "la entrega llegó tarde y con un golpe",
    "el vendedor fue grosero y no sabía nada",
    "horrible experiencia, tuve que reclamar",
    "me cobraron dos veces, una vergüenza",
    "esperé una hora, un desastre",
]
NEUTRAL = [
    "la compra fue normal, sin más",
    "correcto, cumplió lo esperado",
    "la tienda estaba como siempre",
    "llegó el día previsto",
]
FILLER = ["", " hoy", " esta vez", " en la tienda", " con mi pedido", " la semana pasada"]


def rated_comments(n: int, seed: int = 1) -> list[tuple[str, int]]:
    """(comment, NPS) pairs whose words agree with the score, varied enough to train on."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        kind = i % 3
        phrases, nps = [(NEGATIVE, rng.randint(0, 6)), (NEUTRAL, 7 + i % 2), (POSITIVE, 9 + i % 2)][
            kind
        ]
        rows.append((rng.choice(phrases) + rng.choice(FILLER), nps))
    return rows


def survey(**kwargs: Any) -> Survey:
    return make_survey("nps", **kwargs)


def responses(
    the_survey: Survey,
    comments: list[tuple[str, int | None]],
    org_unit: OrgUnit | None = None,
    when: datetime | None = None,
    spread_days: int = 0,
) -> list[Response]:
    """Responses stored with bulk_create (as imports do: no signals)."""
    when = when or timezone.now()
    touchpoint = the_survey.touchpoint
    rows = [
        Response(
            survey=the_survey,
            version=the_survey.current_version,
            touchpoint=touchpoint,
            journey=touchpoint.stage.journey,
            org_unit=org_unit,
            channel="link",
            comment=text,
            nps=nps,
            is_complete=True,
            submitted_at=when - timedelta(days=(i % spread_days) if spread_days else 0),
        )
        for i, (text, nps) in enumerate(comments)
    ]
    return Response.objects.bulk_record(rows)


def feedback(
    texts: list[str], org_unit: OrgUnit | None = None, rating: int | None = None
) -> list[Feedback]:
    rows = [Feedback(source="review", text=t, org_unit=org_unit, rating=rating) for t in texts]
    return Feedback.objects.bulk_create(rows)


@pytest.fixture
def fresh_analyser() -> Any:
    """A clean cached analyser per test (the cache outlives the rolled-back transactions)."""
    pipeline_service.reset()
    yield
    pipeline_service.reset()
