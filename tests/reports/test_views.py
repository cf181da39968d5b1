"""Each person manages their own weekly reports and can ask for a preview now."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.urls import reverse

from pulso.reports.models import ReportEmail, ReportSubscription
from tests.conftest import Org, Personas
from tests.reports.test_weekly import IMMEDIATE


def test_subscribe_then_send_me_a_preview_now(
    client: Any, org: Org, personas: Personas, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.TASKS = IMMEDIATE
    client.force_login(personas.store_manager)
    response = client.post(
        reverse("reports:subscribe"),
        {"unit": org.north_store.pk, "language": "en", "is_active": "on"},
    )
    assert response.status_code == 302
    sub = ReportSubscription.objects.get(user=personas.store_manager)
    assert sub.language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:preview"), {"subscription": sub.pk})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[personas.store_manager.email]]
    assert mail.outbox[0].subject.startswith("Weekly report · Tienda Bilbao")
    assert ReportEmail.objects.get().sent_at is not None


def test_someone_elses_report_cannot_be_previewed(
    client: Any, org: Org, personas: Personas
) -> None:
    theirs = ReportSubscription.objects.create(user=personas.analyst, unit=org.company)
    client.force_login(personas.store_manager)
    client.post(reverse("reports:preview"), {"subscription": theirs.pk})
    assert not ReportEmail.objects.exists()
    assert not mail.outbox


def test_a_unit_out_of_reach_is_a_form_error(client: Any, org: Org, personas: Personas) -> None:
    client.force_login(personas.store_manager)
    response = client.post(reverse("reports:subscribe"), {"unit": org.company.pk, "language": "es"})
    assert response.status_code == 422
    assert not ReportSubscription.objects.exists()
