"""A published NPS survey on a store touchpoint, for the response API and import tests."""

from __future__ import annotations

import pytest

from pulso.surveys.actions import do_create_survey, do_publish_survey
from pulso.surveys.models import Question, Survey
from tests.conftest import Org
from tests.factories import TouchpointFactory


@pytest.fixture
def survey(org: Org) -> Survey:
    """NPS + a follow-up per group, a CSAT, a single choice and a comment, published."""
    touchpoint = TouchpointFactory(name="Visita a tienda", owner_unit=org.north_store)
    created = do_create_survey("Experiencia en tienda", touchpoint, org_unit=org.north_store)
    version = created.versions.get()
    extra = [
        {
            "key": "csat",
            "kind": "csat",
            "text_es": "¿Cuál es tu grado de satisfacción con la atención?",
        },
        {
            "key": "motivo",
            "kind": "single",
            "text_es": "¿Cuál fue el motivo principal de tu visita?",
            "choices": [
                {"value": "compra", "es": "Compra", "en": "Purchase"},
                {"value": "devolucion", "es": "Devolución", "en": "Return"},
                {"value": "consulta", "es": "Consulta", "en": "Question"},
            ],
        },
        {
            "key": "aspectos",
            "kind": "multiple",
            "text_es": "¿Qué aspectos valoras más?",
            "choices": [
                {"value": "atencion", "es": "Atención del personal", "en": "Staff"},
                {"value": "precio", "es": "Precio", "en": "Price"},
                {"value": "rapidez", "es": "Rapidez", "en": "Speed"},
            ],
        },
        {"key": "comentario", "kind": "text", "text_es": "¿Quieres contarnos algo más?"},
    ]
    start = version.questions.count()
    Question.objects.bulk_create(
        Question(version=version, position=start + i, **spec) for i, spec in enumerate(extra)
    )
    do_publish_survey(created)
    created.refresh_from_db()
    return created
