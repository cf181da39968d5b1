from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pulso.loop.actions import do_open_case
from pulso.textanalytics.models import TextAnalysis
from pulso.web.home import home_summary
from tests.conftest import Org, Personas
from tests.factories import TouchpointFactory
from tests.loop.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def _negative_response(unit: object, days_ago: int = 1) -> None:
    response = ResponseFactory(
        org_unit=unit,
        touchpoint=TouchpointFactory(),
        submitted_at=timezone.now() - timedelta(days=days_ago),
    )
    TextAnalysis.objects.create(feedback=response.feedback, language="es", sentiment="negative")


def test_summary_counts_only_what_the_person_may_see(org: Org, personas: Personas) -> None:
    long_ago = timezone.now() - timedelta(days=30)
    do_open_case(
        title="Entrega tarde", unit=org.north_store, priority="normal", owner=personas.store_manager
    )
    do_open_case(
        title="Cobro doble",
        unit=org.north_store,
        priority="normal",
        owner=personas.store_manager,
        now=long_ago,
    )
    do_open_case(title="Instalación mal", unit=org.south_store, priority="high")
    _negative_response(org.north_store)
    _negative_response(org.south_store)
    _negative_response(org.north_store, days_ago=20)

    manager = home_summary(personas.store_manager)
    assert (manager.my_open_cases, manager.my_overdue_cases) == (2, 1)
    assert manager.open_cases_in_scope == 2
    assert (manager.responses_this_week, manager.negative_comments_this_week) == (1, 1)
    analyst = home_summary(personas.analyst)
    assert (analyst.my_open_cases, analyst.open_cases_in_scope) == (0, 3)
    assert analyst.negative_comments_this_week == 2


def test_home_page_shows_the_summary_in_spanish(
    client: Client, org: Org, personas: Personas
) -> None:
    do_open_case(
        title="Entrega tarde", unit=org.north_store, priority="normal", owner=personas.store_manager
    )
    client.force_login(personas.store_manager)
    body = client.get("/").content.decode()
    assert "Mis casos abiertos" in body
    assert "Ir a mis casos" in body and "/cases/?scope=mine" in body
