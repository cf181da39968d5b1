"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit) that the tests
start in a subprocess on the loopback interface: authorization code flow with PKCE, signed ID
tokens checked against the provider's keys, userinfo, claims mapped to units and roles."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from pulso.accounts.models import Membership, OrgUnit, Role, SsoRule
from tests.conftest import Org
from tests.factories import FeedbackFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/accounts/oidc/callback/"
PEOPLE = {
    "ana": {
        "password": "ana-provider-pass-1",
        "email": "ana@acme.example",
        "preferred_username": "ana",
        "given_name": "Ana",
        "family_name": "Ruiz",
        "groups": ["pulso-norte", "staff-all"],
    },
    "marta": {
        "password": "marta-provider-pass-1",
        "email": "marta@acme.example",
        "preferred_username": "marta",
        "groups": ["pulso-norte-analistas"],
    },
}


@dataclass
class Provider:
    url: str
    client_id: str
    client_secret: str


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    workdir = tempfile.mkdtemp(prefix="oidc-provider-")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PROVIDER_DB": str(Path(workdir) / "provider.sqlite3"),
        "PROVIDER_PEOPLE": json.dumps(PEOPLE),
        "PROVIDER_CLIENT_ID": "pulso-client",
        "PROVIDER_CLIENT_SECRET": "pulso-client-secret-123",
        "PROVIDER_REDIRECT_URI": CALLBACK,
    }
    errors = open(Path(workdir) / "stderr.txt", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.accounts.oidc_provider.serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    if not port:
        process.wait(timeout=10)
        errors.seek(0)
        pytest.fail(f"the OIDC provider did not start: {errors.read()}")
    try:
        yield Provider(f"http://127.0.0.1:{port}", "pulso-client", "pulso-client-secret-123")
    finally:
        process.terminate()
        process.wait(timeout=10)
        errors.close()


@pytest.fixture
def sso(settings: Any, provider: Provider) -> Provider:
    settings.PULSO_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/o/.well-known/jwks.json"
    return provider


def log_in_through(provider: Provider, client: Client, username: str, next_url: str = "/") -> Any:
    """What a browser does: Pulso → the provider's login and consent → back to Pulso."""
    start = client.get("/accounts/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302
    authorize_url = start["Location"]
    assert authorize_url.startswith(f"{provider.url}/o/authorize/?")
    assert "code_challenge=" in authorize_url
    browser = requests.Session()
    browser.get(f"{provider.url}/login/", timeout=10)
    logged = browser.post(
        f"{provider.url}/login/",
        data={
            "username": username,
            "password": PEOPLE[username]["password"],
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": authorize_url.removeprefix(provider.url),
        },
        allow_redirects=False,
        timeout=10,
    )
    assert logged.status_code == 302, logged.text
    back = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    callback = back.headers["Location"]
    assert callback.startswith(CALLBACK + "?")
    return client.get(callback.removeprefix("http://testserver"))


def test_first_login_creates_the_person_with_the_mapped_unit_and_role(
    sso: Provider, org: Org, client: Client
) -> None:
    SsoRule.objects.create(claim="groups", value="pulso-norte", unit=org.north, role=Role.AGENT)
    SsoRule.objects.create(claim="groups", value="pulso-sur", unit=org.south, role=Role.ADMIN)
    FeedbackFactory(org_unit=org.north_store, text="Comentario de la tienda de Bilbao")
    FeedbackFactory(org_unit=org.south_store, text="Comentario de la tienda de Sevilla")

    landed = log_in_through(sso, client, "ana", next_url="/feedback/")

    assert landed.status_code == 302 and landed["Location"] == "/feedback/"
    ana = get_user_model().objects.get(username="ana")
    assert (ana.email, ana.first_name, ana.last_name) == ("ana@acme.example", "Ana", "Ruiz")
    assert not ana.has_usable_password()
    assert ana.sso_identity.subject  # the provider's subject, not the email, finds her next time
    memberships = list(Membership.objects.filter(user=ana).values_list("unit", "role", "from_sso"))
    assert memberships == [(org.north.pk, Role.AGENT, True)]
    # She sees her region and nothing of the other one, in pages and in the policy.
    explorer = client.get("/feedback/").content.decode()
    assert "Comentario de la tienda de Bilbao" in explorer
    assert "Comentario de la tienda de Sevilla" not in explorer
    assert client.get(f"/dashboards/units/{org.north_store.code}/").status_code == 200
    assert client.get(f"/dashboards/units/{org.south_store.code}/").status_code in {403, 404}
    visible = set(OrgUnit.objects.visible_to(ana).values_list("code", flat=True))
    assert visible == {"norte", "bilbao"}


def test_next_login_follows_the_rules_and_keeps_manual_memberships(
    sso: Provider, org: Org, client: Client
) -> None:
    rule = SsoRule.objects.create(
        claim="groups", value="pulso-norte-analistas", unit=org.north, role=Role.VIEWER
    )
    log_in_through(sso, client, "marta")
    marta = get_user_model().objects.get(username="marta")
    MembershipFactory(user=marta, unit=org.contact_centre, role=Role.AGENT)  # added by an admin
    rule.role = Role.CX_ANALYST
    rule.save()
    SsoRule.objects.create(claim="groups", value="pulso-norte-analistas", unit=org.south)

    client.logout()
    log_in_through(sso, client, "marta")

    assert get_user_model().objects.filter(username__startswith="marta").count() == 1
    held = dict(Membership.objects.filter(user=marta).values_list("unit__code", "role"))
    assert held == {"norte": Role.CX_ANALYST, "sur": Role.VIEWER, "cc": Role.AGENT}

    SsoRule.objects.filter(unit=org.south).delete()
    client.logout()
    log_in_through(sso, client, "marta")
    held = dict(Membership.objects.filter(user=marta).values_list("unit__code", "role"))
    assert held == {"norte": Role.CX_ANALYST, "cc": Role.AGENT}


def test_a_local_account_with_the_same_email_is_not_taken_over(
    sso: Provider, org: Org, client: Client
) -> None:
    local = UserFactory(username="ana", email="ana@acme.example")
    log_in_through(sso, client, "ana")
    created = get_user_model().objects.exclude(pk=local.pk).get(email="ana@acme.example")
    assert created.username == "ana-2"
    assert not hasattr(local, "sso_identity")


def test_sso_pages_are_not_found_when_sso_is_off(client: Client) -> None:
    assert client.get("/accounts/oidc/authenticate/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


def test_a_deactivated_person_cannot_log_in_through_the_provider(
    sso: Provider, org: Org, client: Client
) -> None:
    log_in_through(sso, client, "ana")
    get_user_model().objects.filter(username="ana").update(is_active=False)
    client.logout()
    refused = log_in_through(sso, client, "ana")
    assert refused.status_code == 302 and refused["Location"] == "/accounts/login/"
    assert "no ha iniciado tu sesión" in client.get("/accounts/login/").content.decode()
    assert client.get("/").status_code == 302


def test_linking_by_email_when_allowed(
    settings: Any, sso: Provider, org: Org, client: Client
) -> None:
    settings.PULSO_OIDC_LINK_BY_EMAIL = True
    local = UserFactory(username="ana.ruiz", email="ANA@acme.example")
    SsoRule.objects.create(claim="groups", value="staff-all", unit=org.company, role=Role.VIEWER)
    log_in_through(sso, client, "ana")
    assert get_user_model().objects.filter(email__iexact="ana@acme.example").count() == 1
    local.refresh_from_db()
    assert local.sso_identity.subject
    assert local.has_usable_password()  # their password is theirs to keep
    assert list(local.memberships.values_list("unit__code", "role")) == [("acme", Role.VIEWER)]


def test_endpoints_are_read_from_the_providers_discovery(provider: Provider) -> None:
    out = io.StringIO()
    call_command("oidc_discover", f"{provider.url}/o", stdout=out)
    printed = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert printed["PULSO_OIDC_TOKEN_ENDPOINT"] == f"{provider.url}/o/token/"
    assert printed["PULSO_OIDC_JWKS_ENDPOINT"] == f"{provider.url}/o/.well-known/jwks.json"
    assert printed["PULSO_OIDC_SIGN_ALGO"] == "RS256"
    assert printed["PULSO_OIDC_ISSUER"].startswith(provider.url)
    with pytest.raises(CommandError, match="Could not read"):
        call_command("oidc_discover", f"{provider.url}/nothing-here")


def test_tokens_from_another_issuer_are_refused(
    settings: Any, sso: Provider, org: Org, client: Client
) -> None:
    out = io.StringIO()
    call_command("oidc_discover", f"{sso.url}/o", stdout=out)
    issuer = dict(line.split("=", 1) for line in out.getvalue().splitlines())["PULSO_OIDC_ISSUER"]
    settings.PULSO_OIDC_ISSUER = "https://sso.another.example/realms/acme"
    refused = log_in_through(sso, client, "ana")
    assert refused.status_code in (302, 400) and client.get("/").status_code == 302
    assert not get_user_model().objects.filter(username="ana").exists()
    settings.PULSO_OIDC_ISSUER = issuer
    log_in_through(sso, client, "ana")
    assert client.get("/").status_code == 200
