"""POST /api/text/topics: the schema states that a new topic has a rule in one language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.textanalytics.models import Topic

pytestmark = pytest.mark.django_db


def test_the_schema_requires_a_rule_in_one_language(client: Client) -> None:
    topic = client.get("/api/openapi.json").json()["components"]["schemas"]["TopicIn"]
    assert [branch["required"] for branch in topic["anyOf"]] == [["rule_es"], ["rule_en"]]
    for branch, name in zip(topic["anyOf"], ("rule_es", "rule_en"), strict=True):
        assert branch["properties"][name]["minLength"] == 1


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_rule_in_either_language_is_enough(client: Client, personas: Any, language: str) -> None:
    client.force_login(personas.analyst)
    body = {"name_es": "Ruido", f"rule_{language}": "ruido OR noise"}
    answer = client.post("/api/text/topics", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert getattr(Topic.objects.get(slug="ruido"), f"rule_{language}") == "ruido OR noise"


@pytest.mark.parametrize("rules", [{}, {"rule_es": "  ", "rule_en": ""}])
def test_no_rule_is_still_refused_naming_the_field(
    client: Client, personas: Any, rules: dict[str, str]
) -> None:
    client.force_login(personas.analyst)
    body = {"name_es": "Ruido", **rules}
    answer = client.post("/api/text/topics", body, content_type="application/json")
    assert answer.status_code == 422
    assert "rule_es" in answer.json()["errors"]
    assert not Topic.objects.filter(slug="ruido").exists()
