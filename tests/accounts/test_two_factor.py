"""Second factor (TOTP): set up with an authenticator app, asked after the password, required for
staff and listed roles when the settings say so."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pulso.accounts.actions import do_create_api_token
from pulso.core.models import AuditEvent
from tests.conftest import Personas
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += steps_ahead * device.step
    return f"{totp.token():06d}"


def password_login(client: Client, username: str) -> None:
    answer = client.post("/accounts/login/", {"username": username, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 302


def test_without_a_second_factor_nothing_changes(client: Client, personas: Personas) -> None:
    password_login(client, "viewer")
    assert client.get("/").status_code == 200


def test_a_person_without_an_authenticator_is_looked_up_once_per_session(
    client: Client, personas: Personas
) -> None:
    password_login(client, "viewer")
    assert client.get("/").status_code == 200  # looks for an authenticator, finds none
    # Added from another session: this one goes on; the next sign-in asks for the code.
    TOTPDevice.objects.create(user=personas.viewer, name="phone", confirmed=True)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "otp_totp" in q["sql"]]
    client.logout()
    password_login(client, "viewer")
    answer = client.get("/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/2fa/verify/")


def test_setting_up_an_authenticator(settings: Any, client: Client, personas: Personas) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise holds the next one for 1 s
    client.force_login(personas.viewer)
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert not TOTPDevice.objects.exists()  # showing the code writes nothing
    pending = TOTPDevice(user=personas.viewer, key=client.session["pulso_totp_setup_key"])

    wrong = client.post(
        "/accounts/2fa/", {"token": "000000" if code_for(pending) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "no es válido" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    right = client.post("/accounts/2fa/", {"token": code_for(pending), "next": "/cases/"})
    assert right.status_code == 302 and right["Location"] == "/cases/"
    device = TOTPDevice.objects.get(user=personas.viewer)
    assert device.confirmed and device.key == pending.key
    assert AuditEvent.objects.filter(verb="two_factor.enabled").count() == 1
    assert client.get("/").status_code == 200  # this session is verified


def test_the_code_is_asked_after_the_password(
    settings: Any, client: Client, personas: Personas
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=personas.agent, name="Pulso", confirmed=True)
    password_login(client, "agent")
    asked = client.get("/cases/")
    assert asked.status_code == 302
    assert asked["Location"] == "/accounts/2fa/verify/?next=%2Fcases%2F"
    assert client.get("/api/journeys/").status_code == 403  # nor the API with that session
    wrong = client.post("/accounts/2fa/verify/", {"token": "12345a", "next": "/cases/"})
    assert wrong.status_code == 200
    passed = client.post("/accounts/2fa/verify/", {"token": code_for(device), "next": "/cases/"})
    assert passed.status_code == 302 and passed["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_api_tokens_are_not_asked_for_a_code(client: Client, personas: Personas) -> None:
    TOTPDevice.objects.create(user=personas.analyst, name="Pulso", confirmed=True)
    _token, raw = do_create_api_token(personas.analyst, "integración")
    assert client.get("/api/journeys/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_single_sign_on_sessions_are_not_asked(client: Client, personas: Personas) -> None:
    TOTPDevice.objects.create(user=personas.agent, name="Pulso", confirmed=True)
    client.force_login(personas.agent, backend="pulso.accounts.oidc.OidcBackend")
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("role_setting", "staff_setting", "username", "must"),
    [
        (["admin", "cx_analyst"], False, "admin", True),
        (["admin", "cx_analyst"], False, "analyst", True),
        (["admin", "cx_analyst"], False, "viewer", False),
        ([], True, "staff", True),
        ([], False, "staff", False),
        ([], True, "viewer", False),
    ],
)
def test_required_by_setting(
    settings: Any,
    client: Client,
    personas: Personas,
    role_setting: list[str],
    staff_setting: bool,
    username: str,
    must: bool,
) -> None:
    settings.PULSO_2FA_REQUIRED_ROLES = role_setting
    settings.PULSO_2FA_REQUIRED_FOR_STAFF = staff_setting
    personas.viewer.__class__.objects.filter(username="outsider").update(
        username="staff", is_staff=True
    )
    password_login(client, username)
    answer = client.get("/")
    if must:
        assert answer.status_code == 302 and answer["Location"] == "/accounts/2fa/?next=%2F"
        assert client.get("/accounts/2fa/").status_code == 200  # the set-up page itself opens
    else:
        assert answer.status_code == 200


def test_switching_off_only_when_not_required(
    settings: Any, client: Client, personas: Personas
) -> None:
    for user in (personas.viewer, personas.admin):
        TOTPDevice.objects.create(user=user, name="Pulso", confirmed=True)
    settings.PULSO_2FA_REQUIRED_ROLES = ["admin"]
    viewer, admin = Client(), Client()
    viewer.force_login(personas.viewer)
    admin.force_login(personas.admin)
    # force_login skips the code; verify these sessions as the middleware would ask.
    for client_, user in ((viewer, personas.viewer), (admin, personas.admin)):
        device = TOTPDevice.objects.get(user=user)
        client_.post("/accounts/2fa/verify/", {"token": code_for(device)})
    viewer.post("/accounts/2fa/disable/")
    admin.post("/accounts/2fa/disable/")
    assert not TOTPDevice.objects.filter(user=personas.viewer).exists()
    assert TOTPDevice.objects.filter(user=personas.admin).exists()


def test_a_password_alone_cannot_switch_it_off(client: Client, personas: Personas) -> None:
    TOTPDevice.objects.create(user=personas.viewer, name="Pulso", confirmed=True)
    password_login(client, "viewer")
    assert client.get("/accounts/2fa/")["Location"] == "/accounts/2fa/verify/"
    answer = client.post("/accounts/2fa/disable/")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/2fa/verify/"
    assert TOTPDevice.objects.filter(user=personas.viewer, confirmed=True).exists()
