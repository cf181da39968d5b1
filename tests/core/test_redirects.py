"""Every redirect to an address a user supplied stays on this site."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from pulso.core.redirects import safe_next
from tests.conftest import Personas
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

FOREIGN = ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)", "http:/\\evil.x"]


@pytest.mark.parametrize("target", FOREIGN)
def test_a_foreign_target_falls_back(target: str) -> None:
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, target, "/cases/") == "/cases/"


def test_a_local_target_is_kept_and_https_is_not_downgraded() -> None:
    request = RequestFactory().get("/")
    assert safe_next(request, "/cases/?status=open", "web:home") == "/cases/?status=open"
    assert safe_next(request, "http://testserver/cases/", "web:home") == "http://testserver/cases/"
    secure = RequestFactory().get("/", secure=True)
    assert safe_next(secure, "http://testserver/cases/", "web:home") == "/"


@pytest.mark.parametrize("target", FOREIGN)
def test_login_and_language_switch_ignore_a_foreign_next(
    client: Client, personas: Personas, target: str
) -> None:
    form = {"username": "analyst", "password": DEFAULT_PASSWORD, "next": target}
    assert client.post("/accounts/login/", form).headers["Location"] == "/"
    switched = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert switched.headers["Location"] == "/"
