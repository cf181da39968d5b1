from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from tests.conftest import Personas
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_spanish_by_default(client: Client) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="es">' in body
    assert "Iniciar sesión en Pulso" in body


def test_login_with_valid_and_invalid_credentials(client: Client, personas: Personas) -> None:
    bad = client.post("/accounts/login/", {"username": "analyst", "password": "nope"})
    assert bad.status_code == 200
    assert "Por favor, introduzca un nombre de usuario y clave correctos" in bad.content.decode()
    good = client.post("/accounts/login/", {"username": "analyst", "password": DEFAULT_PASSWORD})
    assert good.status_code == 302


def test_password_reset_sends_an_email(client: Client, personas: Personas) -> None:
    response = client.post("/accounts/password_reset/", {"email": personas.analyst.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_api_requires_authentication(client: Client, personas: Personas) -> None:
    assert client.get("/api/journeys/").status_code == 401
    _token, raw = do_create_api_token(personas.analyst, "integración")
    response = client.get("/api/journeys/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert client.get("/api/journeys/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_openapi_docs_are_served(client: Client) -> None:
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Pulso API"
