"""The CX lead's home: company scores against target with trend, drops, themes, overdue cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pulso.loop.actions import do_open_case
from pulso.metrics.jobs import refresh_pending
from pulso.metrics.models import Target
from pulso.textanalytics.models import EmergingTheme
from pulso.web.homes.company import company_home, overdue_by_unit
from pulso.web.homes.roles import home_roles
from tests.conftest import Org, Personas
from tests.metrics.factories import SurveyFactory
from tests.web.world import answers, days_ago, sibling_store

pytestmark = pytest.mark.django_db


def test_sections_follow_the_roles_held(org: Org, personas: Personas) -> None:
    admin, analyst = home_roles(personas.admin), home_roles(personas.analyst)
    assert (admin.company, admin.health, analyst.company, analyst.health) == (True,) * 4
    manager = home_roles(personas.store_manager)
    assert not manager.company and not manager.health
    assert manager.managed == [org.north_store] and manager.agent_paths == []
    agent = home_roles(personas.agent)
    assert agent.agent_paths == [org.contact_centre.path] and not agent.managed
    assert not home_roles(personas.viewer).any


def test_company_scores_against_target_with_a_weekly_trend(org: Org, personas: Personas) -> None:
    Target.objects.create(metric="nps", value=30)
    Target.objects.create(metric="csat", value=80)
    survey = SurveyFactory()
    # 6 promoters, 2 passives, 2 detractors -> NPS 40; CSAT 6 of 10 satisfied -> 60 %
    for score in [10, 10, 9, 9, 9, 9, 8, 7, 3, 0]:
        answers(survey, org.north_store, [score], days_ago(2), csat=5 if score >= 9 else 2)
    answers(survey, org.south_store, [10], days_ago(120))  # outside the 8 weeks
    refresh_pending()

    home = company_home(personas.analyst)
    assert home.card.nps.value == pytest.approx(40.0)
    assert (home.card.nps.target, home.card.nps.meets_target) == (30, True)
    assert home.card.csat.value == pytest.approx(60.0)
    assert (home.card.csat.target, home.card.csat.meets_target) == (80, False)
    assert len(home.trend) == 8  # a week per bucket, the current one included
    assert sum(row["n"] for row in home.trend) == 10
    assert [row["nps"] for row in home.trend if row["n"]] == [40.0]


def test_units_that_dropped_significantly(org: Org, personas: Personas) -> None:
    survey = SurveyFactory()
    answers(survey, org.north_store, [10] * 40, days_ago(40))
    answers(survey, org.north_store, [10] * 20 + [0] * 20, days_ago(5))
    answers(survey, org.south_store, [10] * 35, days_ago(40))
    answers(survey, org.south_store, [10] * 35, days_ago(5))
    answers(survey, org.contact_centre, [10] * 5 + [0] * 5, days_ago(5))  # low base: never listed
    answers(survey, org.contact_centre, [10] * 5, days_ago(40))
    refresh_pending()

    dropped = company_home(personas.admin).dropped
    assert {cut.label for cut in dropped} == {"Norte", "Tienda Bilbao"}
    assert all(cut.nps.value == 0 and cut.nps.change.delta == -100 for cut in dropped)


def test_overdue_cases_by_unit_and_themes_on_the_page(
    client: Client, org: Org, personas: Personas
) -> None:
    long_ago = timezone.now() - timedelta(days=30)
    for unit in (org.north_store, org.north_store, org.south_store):
        do_open_case(title="Sin respuesta", unit=unit, priority="normal", now=long_ago)
    do_open_case(title="Reciente", unit=org.south_store, priority="normal")
    EmergingTheme.objects.create(
        kind="growing", label="Plazos de entrega", recent_count=12, previous_count=3
    )
    EmergingTheme.objects.create(kind="uncovered", label="aparcamiento · grúa", size=7)

    assert [(r["unit"], r["n"]) for r in overdue_by_unit(personas.admin)] == [
        ("Tienda Bilbao", 2),
        ("Tienda Sevilla", 1),
    ]
    client.force_login(personas.admin)
    body = client.get("/").content.decode()
    assert "La empresa hoy" in body and "Casos atrasados por unidad" in body
    assert f"/cases/?unit={org.north_store.pk}&amp;overdue=1" in body
    assert "Plazos de entrega" in body and "aparcamiento · grúa" in body
    assert "Ninguna unidad ha bajado de forma significativa" in body
    assert 'id="chart-company-trend"' not in body  # no answers yet: no empty chart


def test_the_company_section_is_for_the_company_root_only(
    client: Client, org: Org, personas: Personas
) -> None:
    client.force_login(personas.store_manager)
    body = client.get("/").content.decode()
    assert 'data-section="company"' not in body and 'data-section="health"' not in body
    assert 'data-section="unit"' in body


def _queries_for_home(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(
    client: Client, org: Org, personas: Personas
) -> None:
    survey = SurveyFactory()
    long_ago = timezone.now() - timedelta(days=30)

    def more_data(store_name: str) -> None:
        store = sibling_store(org.north, store_name, store_name.lower())
        answers(survey, store, [10, 9, 0], days_ago(3), comment="Bien")
        do_open_case(title="Atrasado", unit=store, priority="normal", now=long_ago)
        refresh_pending()

    more_data("Getxo")
    client.force_login(personas.admin)
    first = _queries_for_home(client)
    for name in ("Vitoria", "Irun", "Eibar"):
        more_data(name)
    assert _queries_for_home(client) == first
