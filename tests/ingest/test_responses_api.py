from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from pulso.surveys.actions import do_create_survey
from pulso.surveys.models import Answer, Response, Survey
from tests.conftest import Org, Personas
from tests.factories import TouchpointFactory

pytestmark = pytest.mark.django_db


def auth(user: Any) -> dict[str, str]:
    _token, raw = do_create_api_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def answers(nps: int = 9, **extra: Any) -> dict[str, Any]:
    group = "promoter" if nps >= 9 else "passive" if nps >= 7 else "detractor"
    return {"nps": nps, f"{group}_comment": "El dependiente me ayudó mucho", **extra}


def test_surveys_are_listed_with_their_current_questions(
    client: Client, personas: Personas, survey: Survey, org: Org
) -> None:
    do_create_survey("Encuesta del sur", TouchpointFactory(), org_unit=org.south_store)
    body = client.get("/api/surveys/", **auth(personas.analyst)).json()
    assert body["count"] == 2
    mine = client.get("/api/surveys/", **auth(personas.store_manager)).json()["items"]
    assert [s["name"] for s in mine] == ["Experiencia en tienda"]
    detail = client.get(f"/api/surveys/{survey.pk}", **auth(personas.store_manager)).json()
    keys = [q["key"] for q in detail["current_version"]["questions"]]
    assert keys[0] == "nps" and "motivo" in keys
    assert client.get(f"/api/surveys/{survey.pk}", **auth(personas.viewer)).status_code == 404


def test_one_response_is_recorded_with_its_scores(
    client: Client, personas: Personas, survey: Survey
) -> None:
    payload = {
        "survey": survey.pk,
        "answers": answers(3, csat=2, motivo="devolucion"),
        "customer": "CLI-1",
        "submitted_at": "2025-06-01T12:00:00",
        "external_id": "crm-1",
    }
    response = post(client, "/api/responses/", payload, auth(personas.store_manager))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["nps"], body["csat"], body["comment"]) == (3, 2, "El dependiente me ayudó mucho")
    assert body["answers"]["motivo"] == "devolucion" and body["channel"] == "api"
    stored = Response.objects.get()
    assert stored.submitted_at == dt.datetime(2025, 6, 1, 12, tzinfo=ZoneInfo("Europe/Madrid"))
    assert stored.customer.external_id == "CLI-1"
    again = post(client, "/api/responses/", payload, auth(personas.store_manager))
    assert again.status_code == 409


def test_invalid_answers_get_422_with_one_error_per_question(
    client: Client, personas: Personas, survey: Survey
) -> None:
    payload = {"survey": survey.pk, "answers": {"csat": 9, "motivo": "otro", "nope": 1}}
    response = post(client, "/api/responses/", payload, auth(personas.analyst))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"nps", "csat", "motivo", "nope"}
    missing = post(client, "/api/responses/", {**payload, "survey": 10**9}, auth(personas.analyst))
    assert missing.status_code == 404
    assert Response.objects.count() == 0


def test_batch_stores_valid_responses_and_reports_the_others(
    client: Client, personas: Personas, survey: Survey
) -> None:
    items: list[Any] = [
        {"survey": survey.pk, "answers": answers(n % 11), "external_id": f"r{n}"} for n in range(50)
    ]
    items += [
        {"survey": survey.pk, "answers": {"nps": 11}},
        {"survey": survey.pk, "answers": answers(5), "org_unit": "sevilla"},
        {"survey": 10**9, "answers": answers(5)},
        {"survey": survey.pk, "answers": answers(10), "external_id": "r1"},
        {"answers": {}},
    ]
    response = post(client, "/api/responses/batch", {"items": items}, auth(personas.store_manager))
    assert response.status_code == 207
    body = response.json()
    assert (body["created"], body["skipped"]) == (50, 1)
    assert [r["index"] for r in body["rejected"]] == [50, 51, 52, 54]
    assert "nps" in body["rejected"][0]["errors"] and "org_unit" in body["rejected"][1]["errors"]
    assert Response.objects.count() == 50
    assert Response.objects.filter(nps=10).count() == 4
    assert Answer.objects.count() == 100
    first = Response.objects.get(external_id="r3")
    assert (first.journey, first.touchpoint) == (survey.touchpoint.stage.journey, survey.touchpoint)
    assert first.comment == "El dependiente me ayudó mucho" and first.org_unit == survey.org_unit


def test_responses_are_listed_scoped_and_filtered(
    client: Client, personas: Personas, survey: Survey, org: Org
) -> None:
    items = [
        {"survey": survey.pk, "answers": answers(n), "submitted_at": f"2025-05-0{n}T10:00:00"}
        for n in range(1, 6)
    ]
    items.append({"survey": survey.pk, "answers": answers(9), "org_unit": "cc", "channel": "qr"})
    post(client, "/api/responses/batch", items, auth(personas.admin))

    def count(user: Any, query: str = "") -> int:
        response = client.get(f"/api/responses/?page_size=2{query}", **auth(user))
        assert response.status_code == 200, response.content
        return int(response.json()["count"])

    assert count(personas.analyst) == 6
    assert count(personas.store_manager) == 5
    assert count(personas.agent) == 1
    assert count(personas.viewer) == 0
    assert count(personas.analyst, "&date_from=2025-05-02&date_to=2025-05-04") == 3
    assert count(personas.analyst, f"&org_unit={org.north.pk}") == 5
    assert count(personas.analyst, "&channel=qr") == 1
    assert count(personas.analyst, f"&survey={survey.pk}&touchpoint={survey.touchpoint_id}") == 6
    assert count(personas.analyst, f"&journey={survey.touchpoint.stage.journey_id}") == 6
    listed = client.get("/api/responses/?page_size=1", **auth(personas.analyst)).json()
    assert set(listed["items"][0]["answers"]) >= {"nps"}
