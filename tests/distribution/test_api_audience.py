"""POST /api/invitations/: the schema states that an invitation needs an audience (customer
ids, external ids or a segment), so a request that conforms to it is never refused for that."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from tests.conftest import Org, Personas
from tests.distribution.factories import ContactableCustomerFactory, make_live_survey

pytestmark = pytest.mark.django_db


def post(client: Client, user: Any, body: dict[str, Any]) -> Any:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'test')[1]}"}
    data = json.dumps(body)
    return client.post("/api/invitations/", data, content_type="application/json", **auth)


def test_the_schema_requires_one_kind_of_audience(client: Client) -> None:
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    branches = schemas["InviteIn"]["anyOf"]
    assert [branch["required"] for branch in branches] == [
        ["customer_ids"],
        ["external_ids"],
        ["segment"],
    ]
    assert branches[0]["properties"]["customer_ids"]["minItems"] == 1
    assert branches[2]["properties"]["segment"]["minLength"] == 1


def test_a_segment_alone_is_an_audience(client: Client, personas: Personas, org: Org) -> None:
    survey = make_live_survey(org.north_store)
    customer = ContactableCustomerFactory(segment="premium")
    body = {"survey_id": survey.pk, "channel": "email", "segment": "premium"}
    answer = post(client, personas.analyst, body)
    assert answer.status_code == 201, answer.content
    assert [row["customer_id"] for row in answer.json()["queued"]] == [customer.pk]


@pytest.mark.parametrize(
    "audience",
    [{}, {"customer_ids": [], "external_ids": []}, {"segment": ""}, {"segment": None}],
)
def test_no_audience_is_refused_naming_the_field(
    client: Client, personas: Personas, org: Org, audience: dict[str, Any]
) -> None:
    survey = make_live_survey(org.north_store)
    answer = post(client, personas.analyst, {"survey_id": survey.pk, "channel": "sms", **audience})
    assert answer.status_code == 422
    assert "customer_ids" in answer.json()["errors"]["segment"]
