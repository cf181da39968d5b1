"""Case list and page, bulk assignment (HTMX), rules editor, deliveries, dashboard, API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from pulso.loop import actions
from pulso.loop.models import Case, Rule
from tests.charts import chart_rows
from tests.conftest import Org, Personas
from tests.loop.conftest import Loop


@pytest.fixture
def cases(org: Org, loop: Loop) -> dict[str, Case]:
    from datetime import timedelta

    from django.utils import timezone

    def make(title: str, unit: Any, hours_ago: int = 0) -> Case:
        opened = timezone.now() - timedelta(hours=hours_ago)
        return actions.do_open_case(title=title, unit=unit, priority="normal", now=opened)

    return {
        "north": make("Caso norte", org.north_store),
        "late": make("Caso norte atrasado", org.north_store, hours_ago=500),
        "south": make("Caso sur", org.south_store),
    }


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_list_is_scoped_and_puts_overdue_cases_first(
    cases: dict[str, Case], personas: Personas
) -> None:
    page = logged_in(personas.store_manager).get("/cases/")
    assert page.status_code == 200
    listed = [case.title for case in page.context["page"].object_list]
    assert listed == ["Caso norte atrasado", "Caso norte"]
    assert "Atrasado" in page.content.decode()
    everything = logged_in(personas.analyst).get("/cases/?priority=normal")
    assert len(everything.context["page"].object_list) == 3


def test_my_cases_and_the_owner_sees_a_case_outside_their_units(
    cases: dict[str, Case], personas: Personas
) -> None:
    actions.do_assign_case(cases["south"], personas.store_manager)
    mine = logged_in(personas.store_manager).get("/cases/?scope=mine")
    assert [c.title for c in mine.context["page"].object_list] == ["Caso sur"]
    assert logged_in(personas.store_manager).get(f"/cases/{cases['south'].pk}/").status_code == 200
    assert logged_in(personas.viewer).get(f"/cases/{cases['north'].pk}/").status_code == 404
    assert logged_in(personas.outsider).get(f"/cases/{cases['north'].pk}/").status_code == 403


def test_bulk_assignment_with_htmx(cases: dict[str, Case], personas: Personas, loop: Loop) -> None:
    client = logged_in(personas.store_manager)
    ids = [cases["north"].pk, cases["late"].pk]
    reply = client.post(
        "/cases/assign/",
        {"cases": ids, "owner": loop.store_manager.pk, "scope": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="case-table",
    )
    assert reply.status_code == 200
    assert "<html" not in reply.content.decode()  # a partial for the table
    assert "2 caso(s) asignado(s)." in reply.content.decode()
    assert set(Case.objects.filter(owner=loop.store_manager).values_list("pk", flat=True)) == set(
        ids
    )
    # a case outside the user's units cannot be picked
    refused = client.post(
        "/cases/assign/", {"cases": [cases["south"].pk], "owner": loop.store_manager.pk}
    )
    assert refused.status_code == 302
    assert Case.objects.get(pk=cases["south"].pk).owner is None


def test_viewers_read_but_cannot_change_cases(cases: dict[str, Case], personas: Personas) -> None:
    client = logged_in(personas.viewer)
    south = cases["south"]
    assert client.get(f"/cases/{south.pk}/").status_code == 200
    assert client.post(f"/cases/{south.pk}/status/", {"status": "in_progress"}).status_code == 403


def test_status_change_through_the_page(cases: dict[str, Case], personas: Personas) -> None:
    client = logged_in(personas.store_manager)
    case = cases["north"]
    client.post(f"/cases/{case.pk}/status/", {"status": "in_progress"})
    bad = client.post(f"/cases/{case.pk}/status/", {"status": "resolved"}, follow=True)
    assert "Describe la resolución" in bad.content.decode()
    client.post(f"/cases/{case.pk}/status/", {"status": "resolved", "resolution": "Reparado"})
    client.post(f"/cases/{case.pk}/note/", {"text": "Cliente satisfecho"})
    case.refresh_from_db()
    assert case.status == "resolved" and case.resolution == "Reparado"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Cliente satisfecho" in page and "Cronología" in page


def test_rules_editor_refuses_invalid_conditions(db: None, personas: Personas) -> None:
    client = logged_in(personas.analyst)
    base = {"name": "Mi regla", "action": "open_case", "case_priority": "high",
            "case_unit": "touchpoint_owner", "position": 5, "is_active": "on"}  # fmt: skip
    bad = client.post("/cases/rules/new/", {**base, "conditions_json": '{"nps": "bajo"}'})
    assert bad.status_code == 400
    assert "Condición desconocida «nps»" in bad.content.decode()
    broken = client.post("/cases/rules/new/", {**base, "conditions_json": "{nope"})
    assert "no es JSON válido" in broken.content.decode()
    template = client.post(
        "/cases/rules/new/", {**base, "action": "thank_you", "body_es": "Hola {name}"}
    )
    assert "Marcador(es) desconocido(s)" in template.content.decode()
    ok = client.post(
        "/cases/rules/new/",
        {**base, "cond_nps_group": ["detractor"], "cond_keywords": "darme de baja, cancelar"},
    )
    assert ok.status_code == 302
    rule = Rule.objects.get(name="Mi regla")
    assert rule.conditions == {
        "nps_group": ["detractor"],
        "keywords": ["darme de baja", "cancelar"],
    }
    assert logged_in(personas.store_manager).get("/cases/rules/").status_code == 403


def test_dashboard_and_deliveries_pages(cases: dict[str, Case], personas: Personas) -> None:
    client = logged_in(personas.analyst)
    page = client.get("/cases/dashboard/")
    assert page.status_code == 200
    assert page.context["board"].total.opened == 3
    html = page.content.decode()
    assert "Tasa de recuperación" in html
    assert sum(row["n"] for row in chart_rows(html, "weekly-spec")) == 3  # opened, none closed
    units = {row["unit"]: row["n"] for row in chart_rows(html, "unit-spec")}
    assert units == {"Tienda Bilbao": 2}  # the south's one case is not due for a contact yet
    assert client.get("/cases/deliveries/").status_code == 200


def test_api_lists_and_moves_cases_and_validates_rules(
    cases: dict[str, Case], personas: Personas
) -> None:
    _token, raw = do_create_api_token(personas.store_manager, "ci")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    listed = client.get("/api/cases/", **auth).json()
    assert [item["title"] for item in listed["items"]] == ["Caso norte atrasado", "Caso norte"]
    assert listed["items"][0]["is_overdue"] is True
    south = client.get(f"/api/cases/{cases['south'].pk}", **auth)
    assert south.status_code == 404
    north = cases["north"].pk
    moved = client.post(f"/api/cases/{north}/status", {"status": "in_progress"},
                        content_type="application/json", **auth)  # fmt: skip
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    refused = client.post(f"/api/cases/{north}/status", {"status": "closed"},
                          content_type="application/json", **auth)  # fmt: skip
    assert refused.status_code == 409
    assert client.post(
        "/api/cases/rules", {}, content_type="application/json", **auth
    ).status_code in (403, 422)

    _token, analyst_raw = do_create_api_token(personas.analyst, "ci")
    analyst = {"HTTP_AUTHORIZATION": f"Bearer {analyst_raw}"}
    bad = client.post("/api/cases/rules", {"name": "x", "action": "open_case",
                      "conditions": {"nps_group": ["furious"]}},
                      content_type="application/json", **analyst)  # fmt: skip
    assert bad.status_code == 422
    assert "conditions" in bad.json()["errors"]
    good = client.post("/api/cases/rules", {"name": "x", "action": "open_case",
                       "conditions": {"nps_group": ["detractor"]}},
                       content_type="application/json", **analyst)  # fmt: skip
    assert good.status_code == 201


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("https://evil.example/phish", "/cases/"),
        ("//evil.example/phish", "/cases/"),
        ("javascript:alert(1)", "/cases/"),
        ("/cases/?status=open", "/cases/?status=open"),
    ],
)
def test_bulk_assignment_goes_back_only_to_this_site(
    cases: dict[str, Case], personas: Personas, loop: Loop, next_url: str, landing: str
) -> None:
    client = logged_in(personas.store_manager)
    form = {"cases": [cases["north"].pk], "owner": loop.store_manager.pk, "next": next_url}
    reply = client.post("/cases/assign/", form)
    assert reply.status_code == 302
    assert reply.headers["Location"] == landing


def test_the_list_shows_the_next_deadline_and_is_overdue_only_against_it(
    org: Org, loop: Loop, personas: Personas
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from pulso.loop.models import Case as CaseModel

    opened = timezone.now() - timedelta(hours=100)  # first contact is due, resolution is not
    waiting = actions.do_open_case(title="Sin contactar", unit=org.north_store, priority="normal",
                                   now=opened)  # fmt: skip
    contacted = actions.do_open_case(title="Contactado", unit=org.north_store, priority="normal",
                                     now=opened)  # fmt: skip
    CaseModel.objects.filter(pk=contacted.pk).update(first_contacted_at=opened)
    assert waiting.first_contact_due < timezone.now() < waiting.resolution_due

    html = logged_in(personas.admin).get("/cases/").content.decode()
    rows = {title: html[html.index(title) : html.index("</tr>", html.index(title))]
            for title in ("Sin contactar", "Contactado")}  # fmt: skip
    assert "Atrasado" in rows["Sin contactar"] and "Primer contacto" in rows["Sin contactar"]
    assert (
        f"{timezone.localtime(waiting.first_contact_due):%d/%m/%Y %H:%M}" in rows["Sin contactar"]
    )
    assert "Atrasado" not in rows["Contactado"] and "Resolución" in rows["Contactado"]
    assert f"{timezone.localtime(contacted.resolution_due):%d/%m/%Y %H:%M}" in rows["Contactado"]
    assert html.index("Sin contactar") < html.index("Contactado")  # overdue first
