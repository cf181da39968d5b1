"""The audit log page: logins, failed logins, role changes and exports, filtered and exported."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pulso.accounts.models import Membership, Role
from pulso.core.models import AuditEvent
from tests.factories import MembershipFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("core:audit_log")


def admin_client(client: Client) -> Client:
    root = OrgUnitFactory()
    admin = UserFactory(username="jefa")
    MembershipFactory(user=admin, unit=root, role=Role.ADMIN)
    client.force_login(admin)
    return client


def test_logins_failed_logins_and_role_changes_are_recorded(client: Client) -> None:
    user = UserFactory(username="lucia")
    user.set_password("una-clave-larga-9")
    user.save()
    failed = client.post(reverse("login"), {"username": "lucia", "password": "mal"})
    assert failed.status_code == 200
    client.post(reverse("login"), {"username": "lucia", "password": "una-clave-larga-9"})
    membership = MembershipFactory(user=user, role=Role.VIEWER)
    membership.role = Role.AGENT
    membership.save()
    Membership.objects.filter(pk=membership.pk).delete()  # a queryset delete is seen as well

    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", "object_repr"))
    assert ("login.failed", "lucia") in verbs and ("login", "lucia") in verbs
    recorded = [verb for verb, _ in verbs if verb.startswith("membership.")]
    assert recorded == ["membership.granted", "membership.changed", "membership.removed"]


def test_admins_filter_page_and_export_the_log(client: Client) -> None:
    client = admin_client(client)
    someone = UserFactory(username="pablo")
    for n in range(60):
        AuditEvent.objects.create(actor=someone, verb="case.note_added", object_repr=f"Caso {n}")
    AuditEvent.objects.create(actor=someone, verb="rule.updated", object_repr="=HYPERLINK(x)")
    # Details whose keys shadow a dict's methods ("items") still read as details.
    AuditEvent.objects.create(actor=someone, verb="case.bulk", data={"items": 5, "keys": "a"})
    old = AuditEvent.objects.create(verb="case.opened", object_repr="Caso viejo")
    AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))

    page = client.get(URL, {"action": "case.", "actor": "pablo"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "61 entradas" in html and "Página 1 de 2" in html and "HYPERLINK" not in html
    assert "items: 5" in html and "keys: a" in html

    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    export = client.get(URL, {"action": "", "since": since, "export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["when", "who", "action"]
    body = [row for row in rows[1:] if row[2] in ("case.note_added", "rule.updated", "case.bulk")]
    assert len(body) == 62 and "Caso viejo" not in {row[5] for row in rows}
    assert ["'=HYPERLINK(x)"] == [row[5] for row in body if row[2] == "rule.updated"]
    exported = AuditEvent.objects.get(verb="audit_log.exported")
    assert exported.actor.username == "jefa" and exported.data == {"since": since}


def test_bad_dates_are_a_form_error_not_a_crash(client: Client) -> None:
    client = admin_client(client)
    response = client.get(URL, {"since": "2026-12-10", "until": "2026-12-01"})
    assert response.status_code == 400
    assert "anterior a la fecha de inicio" in response.content.decode()
    assert client.get(URL, {"since": "ayer"}).status_code == 400


def test_analysts_and_store_admins_cannot_read_it(client: Client) -> None:
    root = OrgUnitFactory()
    analyst = UserFactory()
    MembershipFactory(user=analyst, unit=root, role=Role.CX_ANALYST)
    client.force_login(analyst)
    assert client.get(URL).status_code == 403
    store_admin = UserFactory()
    MembershipFactory(user=store_admin, unit=OrgUnitFactory(parent=root), role=Role.ADMIN)
    client.force_login(store_admin)
    assert client.get(URL).status_code == 403
