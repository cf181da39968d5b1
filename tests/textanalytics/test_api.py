from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.textanalytics import actions
from pulso.textanalytics.models import TextAnalysis, Topic
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_create_topic_validates_rules_with_422(personas: Any, client: Client) -> None:
    as_user(client, personas.analyst)
    bad = {"name_es": "Ruido", "rule_es": "zumbido AND (ruido"}
    response = client.post("/api/text/topics", bad, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["rule_es"] == (
        "Error de sintaxis en el carácter 13: un «(» no se cierra"
    )
    response = client.post(
        "/api/text/topics", {"name_es": "Ruido"}, content_type="application/json"
    )
    assert response.status_code == 422 and "rule_es" in response.json()["errors"]
    good = {
        "name_es": "Ruido",
        "rule_es": "zumbido OR ruido*",
        "parent_id": Topic.objects.get(slug="calidad-producto").pk,
    }
    response = client.post("/api/text/topics", good, content_type="application/json")
    assert response.status_code == 201 and response.json()["slug"] == "ruido"


def test_update_topic_and_permissions(personas: Any, client: Client) -> None:
    topic = Topic.objects.get(slug="entrega")
    as_user(client, personas.viewer)
    url = f"/api/text/topics/{topic.pk}"
    assert (
        client.patch(url, {"rule_es": "reparto"}, content_type="application/json").status_code
        == 403
    )
    as_user(client, personas.analyst)
    response = client.patch(url, {"rule_en": "NOT delivery"}, content_type="application/json")
    assert response.status_code == 422 and "rule_en" in response.json()["errors"]
    response = client.patch(
        url, {"rule_es": "reparto OR entrega*"}, content_type="application/json"
    )
    assert response.status_code == 200
    topic.refresh_from_db()
    assert topic.rule_es == "reparto OR entrega*" and topic.rule_en  # untouched
    assert (
        client.patch("/api/text/topics/999999", {}, content_type="application/json").status_code
        == 404
    )


def test_analyse_endpoint_stores_nothing(personas: Any, client: Client) -> None:
    as_user(client, personas.viewer)
    response = client.post(
        "/api/text/analyse",
        {"text": "La entrega llegó tarde, pero el técnico fue muy amable"},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200 and body["analysed"] and body["language"] == "es"
    topics = {hit["topic"]: hit["sentiment"] for hit in body["topics"]}
    assert topics["entrega-retraso"] == "negative" and topics["personal-amabilidad"] == "positive"
    assert not TextAnalysis.objects.exists()
    emoji = client.post(
        "/api/text/analyse", {"text": "🙂🙂"}, content_type="application/json"
    ).json()
    assert emoji["analysed"] is False and emoji["reason"] == "no_language"
    assert emoji["reason_text"] == "Sin palabras que analizar (emojis, símbolos o demasiado corto)"
    long = client.post(
        "/api/text/analyse", {"text": "Muy amables. " * 3_000}, content_type="application/json"
    )
    assert long.json()["truncated"] is True
    assert client.post("/api/text/analyse", {}, content_type="application/json").status_code == 422


def test_analyses_are_scoped(org: Any, personas: Any, client: Client) -> None:
    survey = factories.survey()
    (north,) = factories.responses(survey, [("Muy amables en Bilbao", 10)], org.north_store)
    (south,) = factories.responses(survey, [("Muy lentos en Sevilla", 2)], org.south_store)
    actions.do_analyse_pending()
    as_user(client, personas.store_manager)
    assert client.get(f"/api/text/analyses?response={north.pk}").json()["count"] == 1
    assert client.get(f"/api/text/analyses?response={south.pk}").json()["count"] == 0
    items = client.get("/api/text/analyses").json()["items"]
    assert [i["feedback_id"] for i in items] == [north.feedback_id]
    as_user(client, personas.analyst)
    assert client.get("/api/text/analyses").json()["count"] == 2
    assert client.get("/api/text/analyses?response=0").status_code == 422


def test_models_and_themes_endpoints(personas: Any, client: Client) -> None:
    as_user(client, personas.viewer)
    models = client.get("/api/text/models").json()
    assert {row["language"]: row["analyser"] for row in models["active"]}["es"] == "coldstart"
    assert models["versions"] == []
    assert client.get("/api/text/themes").json() == {"items": [], "count": 0}
