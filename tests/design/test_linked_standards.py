"""A blueprint's standards linked to the audit standards that check them, with their met rate
over the visits the reader may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pulso.audits.actions import AnswerIn, do_record_visit
from pulso.audits.models import Standard
from pulso.design.models import LinkedStandard
from pulso.journeys.models import Journey
from tests.audits.factories import make_checklist, plan
from tests.conftest import Org, Personas
from tests.design.test_blueprint import delivery  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _visit(standard: Standard, unit: Any, met: bool) -> None:
    visit = plan(standard.checklist, unit)
    do_record_visit(visit, {standard.pk: AnswerIn(passed=met)}, token=f"bp-{visit.pk}")


@pytest.fixture
def greeting(org: Org, delivery: Journey) -> Standard:  # noqa: F811
    """The home delivery's yes/no standard: met in 3 of 4 north visits, failed in the south."""
    home = delivery.stages.get(name="Entrega").touchpoints.get()
    standard = make_checklist(touchpoint=home, name="Entrega").standards.get(kind="yes_no")
    for met in (True, True, True, False):
        _visit(standard, org.north_store, met)
    _visit(standard, org.south_store, False)
    return standard


def test_an_analyst_links_the_touchpoint_s_audit_standards(
    client: Any, personas: Personas, greeting: Standard
) -> None:
    home = greeting.checklist.touchpoint
    url = reverse("design:blueprint_edit", args=[home.pk])
    client.force_login(personas.analyst)
    form = client.get(url).content.decode()
    assert "Saludo en menos de 30 segundos" in form
    elsewhere = make_checklist(name="Tienda").standards.get(kind="yes_no")  # another touchpoint
    assert f'value="{elsewhere.pk}"' not in form
    refused = client.post(url, {"standards": "Saludo", "audit_standards": [elsewhere.pk]})
    assert refused.status_code == 422 and not LinkedStandard.objects.exists()
    saved = client.post(url, {"standards": "Saludar al llegar.", "audit_standards": [greeting.pk]})
    assert saved.status_code == 302
    assert [(s.touchpoint, s.standard) for s in LinkedStandard.objects.all()] == [(home, greeting)]
    client.post(url, {"standards": "Saludar al llegar."})  # unticked: unlinked
    assert not LinkedStandard.objects.exists()


def test_the_blueprint_shows_each_linked_standard_s_met_rate_in_the_reader_s_units(
    client: Any, personas: Personas, greeting: Standard
) -> None:
    LinkedStandard.objects.create(touchpoint=greeting.checklist.touchpoint, standard=greeting)
    url = reverse("design:blueprint", args=["entrega"])
    client.force_login(personas.analyst)  # the whole company: 3 met of 5
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Saludo en menos de 30 segundos: met in 60 % of 5 audits" in html
    client.force_login(personas.store_manager)  # the north store: 3 met of 4
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Saludo en menos de 30 segundos: cumplido en el 75 % de 4 auditorías" in html
    client.force_login(personas.agent)  # the contact centre: no visits
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Saludo en menos de 30 segundos: not audited yet" in html
