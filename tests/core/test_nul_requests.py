"""No URL or query parameter holding a NUL byte reaches a view (PostgreSQL refuses NUL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token

pytestmark = pytest.mark.django_db


def test_every_api_list_filter_refuses_a_nul_byte_with_400(personas: Any) -> None:
    _token, raw = do_create_api_token(personas.admin, "filters")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)
    schema = client.get("/api/openapi.json").json()
    checked = 0
    for path, operations in schema["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                response = client.get(path, {parameter["name"]: "a\x00b"})
                assert response.status_code == 400, (path, parameter["name"])
                assert "NUL" in response.json()["detail"]
                checked += 1
    assert checked > 20


def test_pages_refuse_a_nul_byte_in_the_query_string(client: Client, personas: Any) -> None:
    client.force_login(personas.admin)
    response = client.get("/dashboards/explorer/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert client.get("/dashboards/explorer/", {"q": "cola"}).status_code == 200


def test_the_refusal_speaks_the_visitors_language(client: Client) -> None:
    spanish = client.get("/dashboards/", {"q": "\x00"})
    english = client.get("/dashboards/", {"q": "\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert spanish.status_code == english.status_code == 400
    assert "no permitido" in spanish.content.decode()
    assert "not allowed" in english.content.decode()
