"""The economics page and API: the retention chart renders, the assumptions are written, the
horizon is chosen, and only people who may see the company's economics see them."""

from __future__ import annotations

from typing import Any

import pytest
import vl_convert
from django.test import Client

from pulso.customers.models import CustomerAction
from pulso.economics.charts import retention_chart
from pulso.economics.figures import compute_economics
from tests.charts import chart_on_page
from tests.conftest import Personas
from tests.economics.world import DAY, act, customer_answering

pytestmark = pytest.mark.django_db
Kind = CustomerAction.Kind


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world() -> None:
    """Customers of each group who answered 100 to 400 days ago; detractors cancel sooner."""
    for index in range(30):
        for nps, churn_day in ((10, 200), (8, 120), (3, 40)):
            customer, at = customer_answering(100 + index * 10, nps=nps, ces=7 - index % 7)
            act(customer, Kind.PURCHASE, at + 20 * DAY, str(50 + nps * 10))
            if index % 2:
                act(customer, Kind.CANCELLATION, at + (churn_day - index) * DAY)
            if index % 3 == 0:
                act(customer, Kind.CAMPAIGN_CONTACTED, at + 5 * DAY, campaign="Renovación")


def test_page_renders_the_retention_chart_and_the_assumptions(
    world: None, personas: Personas
) -> None:
    reply = logged_in(personas.analyst).get("/economics/", {"days": "180"})
    assert reply.status_code == 200
    html = reply.content.decode()
    assert 'data-spec="retention-spec"' in html
    assert "Assumptions" in html or "Supuestos" in html
    assert '<option value="180" selected' in html
    spec = chart_on_page(html, "retention-spec")
    groups = {row["group"] for row in spec["datasets"]["table"]}
    assert len(groups) == 3
    svg = vl_convert.vegalite_to_svg(spec)
    assert svg.count("<path") >= 6  # a line and a band per group


def test_page_in_spanish_names_the_groups_and_figures(world: None, personas: Personas) -> None:
    client = logged_in(personas.analyst)
    html = client.get("/economics/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    for text in ("Promotores", "Detractores", "Ingresos en riesgo", "Supuestos", "Renovación"):
        assert text in html


def test_a_horizon_not_offered_falls_back_to_ninety_days(world: None, personas: Personas) -> None:
    html = logged_in(personas.analyst).get("/economics/", {"days": "7"}).content.decode()
    assert '<option value="90" selected' in html


def test_empty_company_shows_an_empty_state(personas: Personas) -> None:
    reply = logged_in(personas.admin).get("/economics/")
    assert reply.status_code == 200
    assert 'class="empty-state"' in reply.content.decode()
    assert "retention-spec" not in reply.content.decode()


def test_economics_need_a_role_at_the_company_root(personas: Personas) -> None:
    assert logged_in(personas.store_manager).get("/economics/").status_code == 403
    assert logged_in(personas.outsider).get("/economics/").status_code == 403
    assert Client().get("/economics/").status_code == 302


def test_api_gives_the_figures_of_the_page(world: None, personas: Personas) -> None:
    reply = logged_in(personas.analyst).get("/api/economics/", {"days": 180})
    assert reply.status_code == 200
    body = reply.json()
    figures = compute_economics(180)
    assert body["horizon"] == 180
    assert body["baselines"] == figures.baselines == 90
    api_groups = {g["group"]: g for g in body["groups"]}
    for group in figures.groups:
        assert api_groups[group.group]["customers"] == group.customers
        assert api_groups[group.group]["churn"]["hits"] == group.churn.hits  # type: ignore[union-attr]
    assert set(body["curves"]) == {"promoter", "passive", "detractor"}
    assert body["campaigns"][0]["campaign"] == "Renovación"
    assert body["risk"]["current_detractors"] == figures.risk.current_detractors  # type: ignore[union-attr]


def test_api_refuses_a_horizon_it_does_not_offer(personas: Personas) -> None:
    client = logged_in(personas.analyst)
    assert client.get("/api/economics/", {"days": 30}).status_code == 422
    assert logged_in(personas.store_manager).get("/api/economics/").status_code == 403


def test_chart_leaves_out_points_beyond_the_longest_horizon() -> None:
    from pulso.economics.stats import kaplan_meier

    curve = kaplan_meier([10, 500], [True, True])
    spec = retention_chart({"promoter": curve}, max_day=365)
    days = [row["day"] for row in spec["datasets"]["table"]]
    assert days == [0, 10, 365]  # carried on to the longest horizon


def test_percentages_are_rounded_in_spanish() -> None:
    from django.utils import translation

    from pulso.economics.templatetags.economics import percent

    with translation.override("es"):
        assert (percent(1 / 6), percent(0.99999), percent(None)) == ("16,7 %", "100,0 %", "—")
