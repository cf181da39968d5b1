"""Customers API: token auth, permissions, pagination, filters, validation (never a 500)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from pulso.customers.models import Customer
from tests.conftest import Personas
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client: Client, user: Any) -> None:
        self.client = client
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'test')[1]}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api{path}", params, **self.auth)

    def send(self, method: str, path: str, body: Any) -> Any:
        call = getattr(self.client, method)
        data = body if isinstance(body, str) else json.dumps(body)
        return call(f"/api{path}", data, content_type="application/json", **self.auth)


def test_token_is_required(client: Client) -> None:
    assert client.get("/api/customers/").status_code == 401
    assert client.get("/api/customers/", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_outsider_is_forbidden_and_viewer_cannot_write(client: Client, personas: Personas) -> None:
    assert Api(client, personas.outsider).get("/customers/").status_code == 403
    viewer = Api(client, personas.viewer)
    assert viewer.get("/customers/").status_code == 200
    created = viewer.send("post", "/customers/", {"external_id": "X1"})
    assert created.status_code == 403 and created.json()["detail"]


def test_list_is_paginated_and_filtered(client: Client, personas: Personas) -> None:
    for n in range(60):
        CustomerFactory(segment="premium" if n < 5 else "basic")
    CustomerFactory(external_id="ZZ9", email="Pilar@Example.com", segment="vip")
    api = Api(client, personas.analyst)
    first = api.get("/customers/").json()
    assert first["count"] == 61 and len(first["items"]) == 50
    assert len(api.get("/customers/", page=2).json()["items"]) == 11
    assert api.get("/customers/", segment="premium").json()["count"] == 5
    assert api.get("/customers/", email="pilar@example.com").json()["items"][0]["external_id"] == (
        "ZZ9"
    )
    assert api.get("/customers/", external_id="ZZ9").json()["count"] == 1
    assert api.get("/customers/", page=0).status_code == 422
    assert api.get("/customers/", page="x").status_code == 422


def test_create_get_and_update(client: Client, personas: Personas) -> None:
    api = Api(client, personas.analyst)
    body = {
        "external_id": "API-1",
        "name": "Rosa",
        "email": "ROSA@example.com",
        "phone": "+34 600 00 00 01",
        "language": "en",
        "value": "250.00",
        "consent_to_contact": "sí",
    }
    created = api.send("post", "/customers/", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["email"], data["phone"], data["consent_to_contact"]) == (
        "rosa@example.com",
        "+34600000001",
        True,
    )
    assert api.get(f"/customers/{data['id']}").json()["name"] == "Rosa"
    patched = api.send("patch", f"/customers/{data['id']}", {"segment": "vip", "email": None})
    assert patched.status_code == 200
    customer = Customer.objects.get(external_id="API-1")
    assert (customer.segment, customer.email, customer.name) == ("vip", "", "Rosa")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"external_id": "A", "email": "nope"}, "correo electrónico no válido"),
        ({"external_id": "A", "phone": "12"}, "teléfono no válido"),
        ({"external_id": "A", "language": "fr"}, "language"),
        ({"external_id": "A", "value": "mucho"}, "value"),
        ({"external_id": ""}, "external_id"),
        ({"name": "Sin id"}, "external_id"),
        ({"external_id": "A", "consent_to_contact": "quizá"}, "consentimiento"),
    ],
)
def test_invalid_fields_answer_422_with_the_reason(
    client: Client, personas: Personas, body: dict[str, Any], message: str
) -> None:
    response = Api(client, personas.analyst).send("post", "/customers/", body)
    assert response.status_code == 422
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert Customer.objects.count() == 0


def test_malformed_json_duplicates_and_missing_customers(
    client: Client, personas: Personas
) -> None:
    CustomerFactory(external_id="DUP")
    api = Api(client, personas.analyst)
    assert api.send("post", "/customers/", "{not json").status_code in (400, 422)
    duplicate = api.send("post", "/customers/", {"external_id": "DUP"})
    assert duplicate.status_code == 409 and "PATCH" in duplicate.json()["detail"]
    assert api.get("/customers/999999").status_code == 404
    assert api.send("patch", "/customers/999999", {"name": "x"}).status_code == 404
