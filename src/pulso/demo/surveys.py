"""Demo surveys: one published survey on every touchpoint of the demo journeys."""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from pulso.journeys.models import Touchpoint
from pulso.surveys.defaults import default_questions
from pulso.surveys.models import Branding, Question, Survey, SurveyVersion

# Touchpoints served by a contact centre or online are asked about effort (CES), the rest CSAT.
EFFORT_CHANNELS = {"call_centre", "chat", "web", "app"}


def _questions(touchpoint: Touchpoint) -> list[dict[str, Any]]:
    """The NPS template with a CSAT or CES question about this touchpoint after the NPS."""
    name = touchpoint.name.lower()
    questions = default_questions("nps")
    questions[0]["text_es"] = (
        "¿Con qué probabilidad recomendarías ElectroHogar a un amigo o familiar?"
    )
    if touchpoint.channel in EFFORT_CHANNELS:
        second = {
            "key": "ces",
            "kind": "ces",
            "text_es": f"¿Fue fácil resolver lo que necesitabas en: {name}?",
            "text_en": f"How easy was it to get what you needed at: {name}?",
        }
    else:
        second = {
            "key": "csat",
            "kind": "csat",
            "text_es": f"¿Cuál es tu grado de satisfacción con: {name}?",
            "text_en": f"How satisfied are you with: {name}?",
        }
    return [questions[0], {**second, "required": False}, *questions[1:]]


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
    if not Branding.objects.exists():
        Branding.objects.create(company_name="ElectroHogar", color="#0f5c8c")
    touchpoints = list(
        Touchpoint.objects.filter(surveys__isnull=True).select_related("stage__journey")
    )
    tick = progress("Surveys", len(touchpoints))
    for touchpoint in touchpoints:
        _create_survey(touchpoint)
        tick(1)
