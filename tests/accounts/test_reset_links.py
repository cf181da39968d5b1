"""Password-reset links point at PULSO_BASE_URL whatever Host header the request carried."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from tests.conftest import Personas


def test_a_forged_host_is_refused_and_mails_nothing(client: Client, personas: Personas) -> None:
    reply = client.post(
        "/accounts/password_reset/", {"email": personas.analyst.email}, HTTP_HOST="evil.example"
    )
    assert reply.status_code == 400
    assert mail.outbox == []


def test_the_link_uses_the_base_url_even_when_any_host_is_accepted(
    client: Client, personas: Personas, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["*"]  # e.g. a proxy checks hosts (PULSO_ALLOW_ANY_HOST)
    settings.PULSO_BASE_URL = "https://cx.acme.example"
    reply = client.post(
        "/accounts/password_reset/", {"email": personas.analyst.email}, HTTP_HOST="evil.example"
    )
    assert reply.status_code == 302
    body = mail.outbox[0].body
    assert "https://cx.acme.example/accounts/reset/" in body
    assert "evil.example" not in body
