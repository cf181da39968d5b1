"""The audit pages: recording on the form (photo, errors, a resubmission), the draft, who may
record, planning, the overview's figures and the photo."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pulso.accounts.models import Role
from pulso.audits.models import Checklist, Visit
from pulso.feedback.models import Feedback
from tests.audits.factories import make_checklist, plan, tiny_png
from tests.charts import chart_rows
from tests.factories import FeedbackFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(visit: Visit, *, greeted: str = "no", token: str = "tok-1") -> dict[str, Any]:
    data: dict[str, Any] = {"token": token, "visited_at": "2026-11-30T10:15", "comment": "Bien"}
    for standard in visit.checklist.standards.all():
        prefix = f"s{standard.pk}_"
        if standard.kind == "yes_no":
            data[prefix + "passed"] = greeted
        elif standard.kind == "scale":
            data[prefix + "rating"] = "4"
        elif standard.kind == "photo":
            data[prefix + "passed"] = "yes"
            data[prefix + "photo"] = SimpleUploadedFile("e.png", tiny_png(), "image/png")
    return data


@pytest.fixture
def auditor(org: Any) -> Any:
    return MembershipFactory(
        user=UserFactory(username="auditora"), unit=org.north, role=Role.AGENT
    ).user


@pytest.fixture
def checklist() -> Checklist:
    return make_checklist()


def test_an_auditor_records_an_assigned_visit_with_a_photo(
    org: Any, auditor: Any, checklist: Checklist
) -> None:
    visit = plan(checklist, org.north_store, auditor=auditor)
    client = client_for(auditor)
    url = reverse("audits:record", args=[visit.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "data-visit-form" in page.content.decode()
    response = client.post(url, form_data(visit))
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:detail", args=[visit.pk])
    visit.refresh_from_db()
    assert visit.is_recorded and visit.recorded_by == auditor
    assert visit.critical_failed and visit.score == Decimal("43.8")
    detail = client.get(response["Location"]).content.decode()
    assert "43,8/100" in detail  # Spanish decimals
    photo = visit.answers.get(standard__kind="photo")
    served = client.get(reverse("audits:photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == tiny_png()  # type: ignore[attr-defined]


def test_a_resubmission_with_the_same_token_records_once(
    org: Any, auditor: Any, checklist: Checklist
) -> None:
    visit = plan(checklist, org.north_store, auditor=auditor)
    client = client_for(auditor)
    url = reverse("audits:record", args=[visit.pk])
    first = client.post(url, form_data(visit), headers={"X-Requested-With": "fetch"})
    again = client.post(url, form_data(visit), headers={"X-Requested-With": "fetch"})
    expected = {"recorded": True, "url": reverse("audits:detail", args=[visit.pk])}
    assert first.json() == again.json() == expected
    assert Feedback.objects.filter(source="audit").count() == 1
    other = client.post(url, form_data(visit, token="another"))
    assert other.status_code == 302
    assert Feedback.objects.filter(source="audit").count() == 1


def test_bad_answers_and_a_file_that_is_no_image_are_reported(
    org: Any, auditor: Any, checklist: Checklist
) -> None:
    visit = plan(checklist, org.north_store, auditor=auditor)
    data = form_data(visit)
    photo_field = next(k for k in data if k.endswith("_photo"))
    data[photo_field] = SimpleUploadedFile("e.png", b"<svg onload=alert(1)>", "image/png")
    data.pop(next(k for k in data if k.endswith("_rating")))
    data["visited_at"] = "2099-01-01T10:00"
    response = client_for(auditor).post(reverse("audits:record", args=[visit.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "La foto debe ser una imagen JPEG, PNG o WebP." in page
    assert page.count('class="error"') >= 3
    visit.refresh_from_db()
    assert not visit.is_recorded


def test_only_the_assigned_auditor_or_a_planner_records_a_visit(
    org: Any, personas: Any, auditor: Any, checklist: Checklist
) -> None:
    visit = plan(checklist, org.north_store, auditor=auditor)
    url = reverse("audits:record", args=[visit.pk])
    colleague = MembershipFactory(user=UserFactory(), unit=org.north, role=Role.AGENT).user
    assert client_for(colleague).get(url).status_code == 403
    assert client_for(personas.store_manager).get(url).status_code == 403
    assert client_for(personas.analyst).get(url).status_code == 200
    assert client_for(auditor).get(url).status_code == 200
    # An auditor sees and records the visits assigned to them outside their units.
    south_visit = plan(checklist, org.south_store, auditor=auditor)
    assert (
        client_for(auditor).get(reverse("audits:record", args=[south_visit.pk])).status_code == 200
    )
    unassigned = plan(checklist, org.south_store)
    assert (
        client_for(auditor).get(reverse("audits:record", args=[unassigned.pk])).status_code == 404
    )


def test_the_phone_keeps_its_draft_on_the_server(
    org: Any, auditor: Any, checklist: Checklist
) -> None:
    visit = plan(checklist, org.north_store, auditor=auditor)
    client = client_for(auditor)
    url = reverse("audits:draft", args=[visit.pk])
    body = {"comment": "Cola de 10 minutos", "token": "tok-9"}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.json() == {"saved": True}
    page = client.get(reverse("audits:record", args=[visit.pk])).content.decode()
    assert "Cola de 10 minutos" in page and 'value="tok-9"' in page
    bad = client.post(url, "{not json", content_type="application/json")
    assert bad.status_code == 400


def test_an_analyst_plans_a_visit(
    org: Any, personas: Any, auditor: Any, checklist: Checklist
) -> None:
    client = client_for(personas.analyst)
    form = client.get(reverse("audits:plan")).content.decode()
    assert "auditora" in form
    response = client.post(
        reverse("audits:plan"),
        {"checklist": checklist.pk, "unit": org.north_store.pk, "kind": "mystery_shopping",
         "planned_for": "2026-12-10", "auditor": auditor.pk},
    )  # fmt: skip
    visit = Visit.objects.get()
    assert response["Location"] == reverse("audits:detail", args=[visit.pk])
    assert visit.auditor == auditor and visit.kind == "mystery_shopping"
    mine = client_for(auditor).get(reverse("audits:visits") + "?scope=mine").content.decode()
    assert org.north_store.name in mine


def test_the_overview_sets_the_audit_score_beside_the_customers_score(
    org: Any, personas: Any, auditor: Any, checklist: Checklist
) -> None:
    visit = plan(checklist, org.north_store, auditor=auditor)
    client_for(auditor).post(reverse("audits:record", args=[visit.pk]), form_data(visit))
    touchpoint = checklist.touchpoint
    for csat, nps in [(5, None), (4, 9), (None, 6), (None, None)]:
        FeedbackFactory(source="survey", org_unit=org.north_store, touchpoint=touchpoint,
                        csat=csat, nps=nps)  # fmt: skip
    FeedbackFactory(source="survey", org_unit=org.south_store, touchpoint=touchpoint, csat=1)
    response = client_for(personas.store_manager).get(reverse("audits:overview"))
    spec = response.context["chart"]
    # CSAT 5 → 100, CSAT 4 → 75 (its NPS is not used), NPS 6 → 60; the empty one is no score.
    assert spec["datasets"]["table"] == [
        {"unit": "Tienda Bilbao", "touchpoint": touchpoint.name, "emitted": 43.8,
         "perceived": 78.3, "gap": -34.5, "visits": 1, "responses": 3, "base": "Base baja"},
    ]  # fmt: skip
    page = response.content.decode()
    assert chart_rows(page, "gap-spec") == spec["datasets"]["table"]
    assert "Saludo en menos de 30 segundos" in page


def test_the_overview_shows_only_the_units_of_the_reader(
    org: Any, personas: Any, checklist: Checklist
) -> None:
    visit = plan(checklist, org.south_store)
    client_for(personas.admin).post(reverse("audits:record", args=[visit.pk]), form_data(visit))
    north = client_for(personas.store_manager).get(reverse("audits:overview"))
    assert north.context["pairs"] == [] and north.context["by_unit"] == []
    assert "No hay visitas registradas en este periodo." in north.content.decode()
