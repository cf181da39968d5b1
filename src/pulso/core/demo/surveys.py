"""Demo surveys: one published survey on every touchpoint of the demo journeys."""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from pulso.journeys.models import Touchpoint
from pulso.surveys.models import Question, Survey, SurveyVersion

# Touchpoints served by a contact centre or online are asked about effort (CES), the rest CSAT.
EFFORT_CHANNELS = {"call_centre", "chat", "web", "app"}

NPS_ES = "¿Con qué probabilidad recomendarías ElectroHogar a un amigo o familiar?"
NPS_EN = "How likely are you to recommend ElectroHogar to a friend or relative?"
FOLLOW_UPS = [
    ("por_que_detractor", "detractor", "¿Qué deberíamos mejorar?", "What should we improve?"),
    ("por_que_pasivo", "passive", "¿Qué nos faltó para darte un 10?", "What kept us from a 10?"),
    ("por_que_promotor", "promoter", "¿Qué es lo que más te gustó?", "What did you like most?"),
]


def _questions(touchpoint: Touchpoint) -> list[dict[str, Any]]:
    name = touchpoint.name.lower()
    questions: list[dict[str, Any]] = [
        {"key": "nps", "kind": "nps", "text_es": NPS_ES, "text_en": NPS_EN, "required": True},
    ]
    if touchpoint.channel in EFFORT_CHANNELS:
        questions.append(
            {
                "key": "ces",
                "kind": "ces",
                "required": False,
                "text_es": f"¿Fue fácil resolver lo que necesitabas en: {name}?",
                "text_en": f"How easy was it to get what you needed at: {name}?",
            }
        )
    else:
        questions.append(
            {
                "key": "csat",
                "kind": "csat",
                "required": False,
                "text_es": f"¿Cuál es tu grado de satisfacción con: {name}?",
                "text_en": f"How satisfied are you with: {name}?",
            }
        )
    for key, group, text_es, text_en in FOLLOW_UPS:
        questions.append(
            {
                "key": key,
                "kind": "text",
                "text_es": text_es,
                "text_en": text_en,
                "show_if": {"question": "nps", "groups": [group]},
            }
        )
    return questions


def _create_survey(touchpoint: Touchpoint) -> None:
    survey = Survey.objects.create(
        name=f"{touchpoint.stage.journey.name} · {touchpoint.name}",
        touchpoint=touchpoint,
        status=Survey.Status.LIVE,
    )
    version = SurveyVersion.objects.create(
        survey=survey,
        number=1,
        title_es=f"Tu opinión sobre: {touchpoint.name}",
        title_en=f"Your opinion about: {touchpoint.name}",
        intro_es="Solo te llevará un minuto. ¡Gracias por ayudarnos a mejorar!",
        intro_en="It only takes a minute. Thank you for helping us improve!",
        thanks_es="¡Gracias! Leemos todas las respuestas.",
        thanks_en="Thank you! We read every answer.",
        published_at=timezone.now(),
    )
    Question.objects.bulk_create(
        Question(version=version, position=i, **spec)
        for i, spec in enumerate(_questions(touchpoint))
    )
    survey.current_version = version
    survey.save(update_fields=["current_version"])


def build(rng: random.Random, progress: Any) -> None:
    touchpoints = list(
        Touchpoint.objects.filter(surveys__isnull=True).select_related("stage__journey")
    )
    tick = progress("Surveys", len(touchpoints))
    for touchpoint in touchpoints:
        _create_survey(touchpoint)
        tick(1)
