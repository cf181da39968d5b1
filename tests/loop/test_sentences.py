"""Rules read as sentences, and the editor that shows only what the chosen action needs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from pulso.loop.models import Rule
from pulso.loop.sentences import describe
from pulso.textanalytics.models import Topic
from tests.conftest import Org, Personas

pytestmark = pytest.mark.django_db


def test_a_detractor_rule_reads_as_a_spanish_sentence(org: Org) -> None:
    rule = Rule(
        name="Bajas", action="open_case", case_priority="high", case_unit="experience_unit",
        conditions={"kind": ["response"], "nps_group": ["detractor", "passive"],
                    "keywords": ["darme de baja"], "org_units": [org.north.pk]},
    )  # fmt: skip
    with translation.override("es"):
        sentence = describe(rule)
    assert sentence == (
        "Si llega una respuesta de encuesta de un detractor o un pasivo que menciona "
        "«darme de baja» en Norte o por debajo → abrir un caso en la unidad donde el cliente "
        "vivió la experiencia, prioridad alta"
    )
    with translation.override("en"):
        assert describe(rule).startswith("If a survey response arrives from a detractor or a")


def test_ranges_topics_channels_and_other_actions(org: Org) -> None:
    Topic.objects.update_or_create(slug="entrega", defaults={"name_es": "Entrega"})
    rule = Rule(
        name="x", action="thank_you",
        conditions={"csat": {"min": 4}, "ces": {"min": 2, "max": 3}, "topics": ["entrega"],
                    "sentiment": ["positive"], "channels": ["store"],
                    "customer_value": {"max": 500}},
    )  # fmt: skip
    with translation.override("es"):
        sentence = describe(rule)
    assert "con CSAT de 4 o más" in sentence and "con CES de 2 a 3" in sentence
    assert "sobre Entrega" in sentence and "con sentimiento positivo" in sentence
    assert "por el canal tienda" in sentence and "con valor del cliente de 500 o menos" in sentence
    assert sentence.endswith("→ enviar al cliente un agradecimiento")
    with translation.override("es"):
        assert describe(Rule(name="y", action="notify", conditions={})) == (
            "Si llega una respuesta o cualquier opinión → avisar a personas"
        )


def test_the_rule_list_shows_sentences_and_the_editor_marks_fields_by_action(
    client: Client, personas: Personas
) -> None:
    Rule.objects.create(
        name="Promotores", action="thank_you", conditions={"nps_group": ["promoter"]}
    )
    client.force_login(personas.analyst)
    listing = client.get("/cases/rules/").content.decode()
    assert (
        "Si llega una respuesta o cualquier opinión de un promotor → enviar al cliente" in listing
    )
    assert "{&#x27;nps_group" not in listing and "{'nps_group" not in listing
    form = client.get("/cases/rules/new/").content.decode()
    assert 'data-for-actions="open_case"' in form and 'data-for-actions="thank_you apology"' in form
    assert 'data-for-actions="webhook"' in form and "loop/rule_form.js" in form
    assert "<legend>Entonces</legend>" in form
