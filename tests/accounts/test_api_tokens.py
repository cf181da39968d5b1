"""API tokens a person creates for themselves: shown once, stored hashed, read-only if asked,
expiring, revocable, listed with their last use; the admin lists and revokes, never adds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pulso.accounts.actions import token_digest
from pulso.accounts.models import ApiToken
from pulso.core.models import AuditEvent
from tests.conftest import Personas
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create(client: Client, **fields: Any) -> str:
    page = client.post(reverse("api_tokens"), {"name": "CRM", "expires_in": "30", **fields})
    assert page.status_code == 200
    return page.content.decode().split('id="new-token">')[1].split("<")[0]


def api(raw: str, method: str = "get", path: str = "/api/journeys/", **body: Any) -> int:
    call = getattr(Client(), method)
    response = call(path, body or None, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip
    return int(response.status_code)


def test_a_token_is_shown_once_stored_hashed_and_works_with_the_persons_access(
    personas: Personas,
) -> None:
    client = logged_in(personas.analyst)
    raw = create(client)
    token = ApiToken.objects.get(user=personas.analyst)
    assert token.digest == token_digest(raw) and raw not in token.digest
    assert raw not in client.get(reverse("api_tokens")).content.decode()  # never again
    assert token.expires_at is not None
    assert token.expires_at - timezone.now() > timedelta(days=29)
    assert api(raw) == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEvent.objects.filter(verb="api_token.created", object_id=str(token.pk)).exists()


def test_a_read_only_token_reads_but_cannot_write(personas: Personas) -> None:
    raw = create(logged_in(personas.admin), read_only="on")
    assert api(raw) == 200
    assert api(raw, "post", "/api/customers/", external_id="C-9") == 403


def test_revoked_and_expired_tokens_are_refused(personas: Personas) -> None:
    client = logged_in(personas.admin)
    raw = create(client)
    token = ApiToken.objects.get()
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    assert api(raw) == 401
    other = create(client)
    ApiToken.objects.filter(revoked_at=None).update(expires_at=timezone.now() - timedelta(1))
    assert api(other) == 401


def test_nobody_revokes_someone_elses_token(personas: Personas) -> None:
    create(logged_in(personas.viewer))
    token = ApiToken.objects.get()
    outsider = logged_in(UserFactory())
    assert outsider.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_nameless_token_is_a_form_error(personas: Personas) -> None:
    page = logged_in(personas.viewer).post(reverse("api_tokens"), {"name": ""})
    assert page.status_code == 422 and not ApiToken.objects.exists()


def test_the_admin_lists_tokens_but_cannot_add_one(admin_client: Client) -> None:
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 403
    assert admin_client.get("/admin/accounts/apitoken/").status_code == 200
