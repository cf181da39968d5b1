"""Login throttling: after PULSO_LOGIN_FAILURE_LIMIT failed logins the account (and the address)
is locked, and even the right password is refused until an admin unlocks it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pulso.core.models import AuditEvent
from tests.conftest import Personas
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def _limit(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = LIMIT


def log_in(client: Client, username: str, password: str, address: str = "127.0.0.1") -> Any:
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def fail(client: Client, username: str, times: int, address: str = "127.0.0.1") -> list[int]:
    return [log_in(client, username, "wrong-password", address).status_code for _ in range(times)]


def test_the_right_password_is_refused_once_the_account_is_locked(
    client: Client, personas: Personas
) -> None:
    statuses = fail(client, "analyst", LIMIT)
    assert statuses[:-1] == [200] * (LIMIT - 1)  # the form with its error
    assert statuses[-1] == 429
    refused = log_in(client, "analyst", DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert "bloqueada" in refused.content.decode()
    assert not logged_in(client)
    # From another address too: the account itself is locked.
    assert log_in(client, "analyst", DEFAULT_PASSWORD, "10.1.2.3").status_code == 429


def test_unlock_with_the_pulso_command(client: Client, personas: Personas) -> None:
    fail(client, "analyst", LIMIT)
    call_command("unlock", "analyst")
    answer = log_in(client, "analyst", DEFAULT_PASSWORD)
    assert answer.status_code == 302
    assert logged_in(client)
    event = AuditEvent.objects.get(verb="login.unlocked")
    assert event.object_id == str(personas.analyst.pk) and event.data["attempts"] >= 1


def test_unlock_in_the_admin_site(client: Client, personas: Personas) -> None:
    fail(client, "analyst", LIMIT)
    assert log_in(client, "analyst", DEFAULT_PASSWORD).status_code == 429
    staff = Client()
    staff.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = staff.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "analyst" in listing.content.decode()
    attempts = list(AccessAttempt.objects.filter(username="analyst").values_list("pk", flat=True))
    deleted = staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert deleted.status_code == 302
    assert log_in(client, "analyst", DEFAULT_PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_address_trying_many_accounts_is_locked(client: Client, personas: Personas) -> None:
    for n in range(LIMIT):
        fail(client, f"guess{n}", 1, "203.0.113.9")
    assert log_in(client, "viewer", DEFAULT_PASSWORD, "203.0.113.9").status_code == 429
    assert log_in(client, "viewer", DEFAULT_PASSWORD, "198.51.100.7").status_code == 302


def test_failures_below_the_limit_are_forgotten_after_a_good_login(
    client: Client, personas: Personas
) -> None:
    fail(client, "agent", LIMIT - 1)
    assert log_in(client, "agent", DEFAULT_PASSWORD).status_code == 302
    client.logout()
    fail(client, "agent", LIMIT - 1)
    assert log_in(client, "agent", DEFAULT_PASSWORD).status_code == 302


def test_with_a_cool_off_the_lock_lifts_by_itself(
    settings: Any, client: Client, personas: Personas
) -> None:
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    fail(client, "viewer", LIMIT)
    refused = log_in(client, "viewer", DEFAULT_PASSWORD)
    assert (
        refused.status_code == 429 and "Vuelve a intentarlo más tarde" in refused.content.decode()
    )
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert log_in(client, "viewer", DEFAULT_PASSWORD).status_code == 302
