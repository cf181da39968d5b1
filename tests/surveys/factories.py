"""Factories of surveys built through the real actions, so tests see what users see."""

from __future__ import annotations

from typing import Any

from pulso.surveys import actions
from pulso.surveys.models import Survey
from tests.factories import TouchpointFactory

CHOICES = [
    {"value": "precio", "es": "Precio", "en": "Price"},
    {"value": "atencion", "es": "Atención", "en": "Service"},
    {"value": "entrega", "es": "Entrega", "en": "Delivery"},
]

# One question of every type, with a conditional follow-up on the NPS group and one on a choice.
EVERY_KIND: list[dict[str, Any]] = [
    {"key": "nps", "kind": "nps", "text_es": "¿Nos recomendarías?", "required": True},
    {
        "key": "why_low",
        "kind": "text",
        "text_es": "¿Qué deberíamos mejorar?",
        "show_if": {"question": "nps", "groups": ["detractor"]},
    },
    {"key": "csat", "kind": "csat", "text_es": "¿Satisfecho?"},
    {"key": "ces", "kind": "ces", "text_es": "¿Fue fácil?"},
    {"key": "stars", "kind": "rating", "text_es": "Valora", "scale_min": 1, "scale_max": 10},
    {"key": "reason", "kind": "single", "text_es": "Motivo principal", "choices": CHOICES},
    {
        "key": "price_detail",
        "kind": "text",
        "text_es": "¿Qué precio esperabas?",
        "show_if": {"question": "reason", "values": ["precio"]},
    },
    {"key": "topics", "kind": "multiple", "text_es": "Temas", "choices": CHOICES},
    {"key": "comment", "kind": "text", "text_es": "¿Algo más?"},
]


def make_survey(
    template: str = "nps",
    *,
    questions: list[dict[str, Any]] | None = None,
    publish: bool = True,
    **kwargs: Any,
) -> Survey:
    kwargs.setdefault("touchpoint", TouchpointFactory())
    survey = actions.do_create_survey(
        kwargs.pop("name", "Encuesta de tienda"), template=template, questions=questions, **kwargs
    )
    if publish:
        actions.do_publish_survey(survey)
        survey.refresh_from_db()
    return survey
