"""Identity settings: wrong values stop Pulso at start; password logins can be switched off."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Personas
from tests.factories import DEFAULT_PASSWORD, UserFactory


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Start Django with these variables, as ``pulso`` does."""
    variables = {
        **os.environ,
        "PULSO_DATA_DIR": tempfile.mkdtemp(),
        "DJANGO_SETTINGS_MODULE": "pulso.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=variables,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PULSO_OIDC_CLIENT_ID": "pulso"}, "PULSO_OIDC_CLIENT_SECRET"),
        (
            {
                "PULSO_OIDC_CLIENT_ID": "pulso",
                "PULSO_OIDC_CLIENT_SECRET": "s",
                "PULSO_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
                "PULSO_OIDC_TOKEN_ENDPOINT": "https://idp.example/token",
                "PULSO_OIDC_USERINFO_ENDPOINT": "https://idp.example/userinfo",
            },
            "PULSO_OIDC_JWKS_ENDPOINT",
        ),
        ({"PULSO_LOGIN_FAILURE_LIMIT": "0"}, "PULSO_LOGIN_FAILURE_LIMIT"),
        ({"PULSO_LOGIN_LOCKOUT_BY": "cookie"}, "PULSO_LOGIN_LOCKOUT_BY"),
        ({"PULSO_2FA_REQUIRED_FOR_STAFF": "maybe"}, "PULSO_2FA_REQUIRED_FOR_STAFF"),
        ({"PULSO_2FA_REQUIRED_ROLES": "admin,boss"}, "unknown roles boss"),
    ],
)
def test_wrong_identity_settings_stop_pulso(env: dict[str, str], message: str) -> None:
    loaded = load_settings(**env)
    assert loaded.returncode != 0
    assert "ImproperlyConfigured" in loaded.stderr and message in loaded.stderr


def test_complete_oidc_settings_load() -> None:
    loaded = load_settings(
        PULSO_OIDC_CLIENT_ID="pulso",
        PULSO_OIDC_CLIENT_SECRET="s",
        PULSO_OIDC_AUTHORIZATION_ENDPOINT="https://idp.example/authorize",
        PULSO_OIDC_TOKEN_ENDPOINT="https://idp.example/token",
        PULSO_OIDC_USERINFO_ENDPOINT="https://idp.example/userinfo",
        PULSO_OIDC_JWKS_ENDPOINT="https://idp.example/jwks",
    )
    assert loaded.returncode == 0, loaded.stderr


@pytest.mark.django_db
def test_password_logins_switched_off(settings: Any, client: Client, personas: Personas) -> None:
    settings.PULSO_PASSWORD_LOGIN = False
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page
    refused = client.post("/accounts/login/", {"username": "analyst", "password": DEFAULT_PASSWORD})
    assert refused.status_code == 200 and client.get("/").status_code == 302
    UserFactory(username="root", is_superuser=True, is_staff=True)
    kept = client.post("/accounts/login/", {"username": "root", "password": DEFAULT_PASSWORD})
    assert kept.status_code == 302 and client.get("/").status_code == 200


@pytest.mark.django_db
def test_login_page_offers_single_sign_on_when_configured(settings: Any, client: Client) -> None:
    assert "/accounts/oidc/authenticate/" not in client.get("/accounts/login/").content.decode()
    settings.PULSO_OIDC_ENABLED = True
    settings.PULSO_OIDC_PROVIDER_NAME = "Okta"
    page = client.get("/accounts/login/?next=/cases/").content.decode()
    assert 'href="/accounts/oidc/authenticate/?next=/cases/"' in page
    assert "Iniciar sesión con Okta" in page
