"""A unit manager's home: scores against target and peers, cases, today's complaints, praise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.loop.actions import do_open_case
from pulso.metrics.jobs import refresh_pending
from pulso.metrics.models import Target
from pulso.textanalytics.models import TextAnalysis
from pulso.web.homes.manager import unit_home
from tests.conftest import Org, Personas
from tests.metrics.factories import SurveyFactory
from tests.web.world import answers, days_ago, sibling_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def peers(org: Org) -> OrgUnit:
    """Bilbao (NPS 40, n=10) and its sibling Getxo (NPS 100, n=4) in the north; Sevilla
    (NPS -100, n=3) in the south, another region."""
    getxo = sibling_store(org.north, "Tienda Getxo", "getxo")
    survey = SurveyFactory()
    answers(survey, org.north_store, [10, 10, 9, 9, 9, 9, 8, 7, 3, 0], days_ago(3))
    answers(survey, getxo, [10, 10, 9, 9], days_ago(3))
    answers(survey, org.south_store, [1, 2, 3], days_ago(3))
    refresh_pending()
    return getxo


def _analysed(unit: OrgUnit, sentiment: str, text: str, when: object) -> None:
    response = answers(SurveyFactory(), unit, [9], when, comment=text)[0]
    TextAnalysis.objects.create(
        feedback=response.feedback, language="es", sentiment=sentiment, written_at=when
    )


def test_unit_scores_against_target_and_peers(org: Org, personas: Personas, peers: OrgUnit) -> None:
    Target.objects.create(metric="nps", value=30)
    Target.objects.create(metric="nps", value=50, org_unit=org.north_store)  # narrower
    home = unit_home(personas.store_manager, org.north_store)
    assert home.card.nps.value == pytest.approx(40.0)
    assert (home.card.nps.target, home.card.nps.meets_target) == (50, False)
    rows = [
        (r.label, round(r.nps.value or 0, 1), r.nps.n, r.extra["rank"]) for r in home.benchmark.rows
    ]
    assert rows == [("Tienda Getxo", 100.0, 4, 1), ("Tienda Bilbao", 40.0, 10, 2)]
    own = home.benchmark.own
    assert own is not None and own.obj == org.north_store and own.nps.margin is not None
    assert home.benchmark.rows[0].nps.margin == pytest.approx(0.0)  # all promoters: no spread


def test_a_store_manager_never_sees_another_regions_figures(
    client: Client, org: Org, personas: Personas, peers: OrgUnit
) -> None:
    do_open_case(title="Cobro doble en Sevilla", unit=org.south_store, priority="high")
    _analysed(org.south_store, "positive", "Atención excelente en Sevilla", timezone.now())
    client.force_login(personas.store_manager)
    body = client.get("/").content.decode()
    assert "Tienda Getxo" in body and "Sevilla" not in body
    assert "Unidades del mismo tipo bajo la misma unidad superior" in body
    assert "margen de error del 95 %." in body
    assert 'data-section="company"' not in body


def test_peer_names_hidden_when_the_setting_is_off(
    client: Client, org: Org, personas: Personas, peers: OrgUnit, settings: object
) -> None:
    settings.PULSO_PEER_NAMES = False  # type: ignore[attr-defined]
    client.force_login(personas.store_manager)
    body = client.get("/").content.decode()
    assert "Tienda Getxo" not in body and "getxo" not in body.lower()
    assert "Tienda A" in body and "Tienda Bilbao" in body  # one's own unit keeps its name


def test_open_cases_by_deadline_negative_today_and_praise(
    client: Client, org: Org, personas: Personas
) -> None:
    now = timezone.now()
    late = do_open_case(
        title="Atrasado", unit=org.north_store, priority="normal", now=now - timedelta(days=20)
    )
    soon = do_open_case(title="Urgente", unit=org.north_store, priority="urgent", now=now)
    later = do_open_case(title="Normal", unit=org.north_store, priority="low", now=now)
    do_open_case(title="De otra tienda", unit=org.south_store, priority="normal")
    _analysed(org.north_store, "negative", "Nadie me atendió", now)
    _analysed(org.north_store, "negative", "Cola larga", days_ago(3))
    _analysed(org.north_store, "positive", "Ana fue muy amable", days_ago(2))
    _analysed(org.north_store, "positive", "Luis me ayudó con la instalación", days_ago(1))
    _analysed(org.south_store, "positive", "Gracias a Marta", days_ago(1))

    home = unit_home(personas.store_manager, org.north_store)
    assert [c.pk for c in home.cases] == [late.pk, soon.pk, later.pk]
    assert home.open_cases == 3 and home.negative_today == 1
    assert [p.text for p in home.praise] == [
        "Luis me ayudó con la instalación",
        "Ana fue muy amable",
    ]

    client.force_login(personas.store_manager)
    body = client.get("/").content.decode()
    today = timezone.localdate().isoformat()
    assert f"from={today}&amp;to={today}&amp;sentiment=negative&amp;unit=bilbao" in body
    assert "Elogios para tu equipo" in body and "Luis me ayudó" in body
    assert "Marta" not in body
