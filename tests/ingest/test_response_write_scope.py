"""A response is authorised where it will be stored before anything is written: a manager may
not record one company-wide, and a refused request stores nothing (no 500, no duplicates)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from pulso.surveys.actions import do_create_survey, do_publish_survey
from pulso.surveys.models import Response, Survey
from tests.conftest import Org, Personas
from tests.factories import TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_survey(org: Org) -> Survey:
    survey = do_create_survey("Encuesta de marca", TouchpointFactory(name="Marca"))
    do_publish_survey(survey)
    survey.refresh_from_db()
    assert survey.org_unit is None
    return survey


def post(client: Client, url: str, body: Any, user: Any) -> Any:
    _token, raw = do_create_api_token(user, "test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_manager_cannot_record_a_company_wide_response(
    client: Client, personas: Personas, company_survey: Survey
) -> None:
    payload = {"survey": company_survey.pk, "answers": {"nps": 3}, "external_id": "x-1"}
    for _attempt in range(2):  # a client retrying gets the same answer, and stores nothing
        response = post(client, "/api/responses/", payload, personas.store_manager)
        assert response.status_code == 403  # the role does not reach the company's root
        assert "org_unit" in response.json()["errors"]
    assert Response.objects.count() == 0
    mine = post(
        client, "/api/responses/", {**payload, "org_unit": "bilbao"}, personas.store_manager
    )
    assert mine.status_code == 201, mine.content
    assert Response.objects.get().org_unit.code == "bilbao"
    # the right at the company's root may record it company-wide
    root = post(client, "/api/responses/", {**payload, "external_id": "x-2"}, personas.analyst)
    assert root.status_code == 201 and Response.objects.get(external_id="x-2").org_unit is None


def test_the_batch_rejects_those_rows_and_keeps_the_others(
    client: Client, personas: Personas, company_survey: Survey
) -> None:
    items = [
        {"survey": company_survey.pk, "answers": {"nps": 9}, "org_unit": "bilbao"},
        {"survey": company_survey.pk, "answers": {"nps": 2}},
        {"survey": company_survey.pk, "answers": {"nps": 5}, "org_unit": "sevilla"},
    ]
    response = post(client, "/api/responses/batch", {"items": items}, personas.store_manager)
    assert response.status_code == 207
    body = response.json()
    assert body["created"] == 1
    assert [(r["index"], list(r["errors"])) for r in body["rejected"]] == [
        (1, ["org_unit"]),
        (2, ["org_unit"]),
    ]
    assert list(Response.objects.values_list("nps", flat=True)) == [9]
