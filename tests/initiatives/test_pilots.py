"""Initiatives and pilots: forms, the pilot page with its verdict, and the API."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pulso.accounts.models import OrgUnit
from pulso.feedback.models import Feedback
from pulso.initiatives import effects
from pulso.initiatives.models import Initiative, Pilot
from pulso.lib.did import DidEstimate
from tests.charts import chart_rows
from tests.conftest import Org, Personas
from tests.factories import OrgUnitFactory

TODAY = timezone.localdate()
BEFORE = (TODAY - dt.timedelta(days=100), TODAY - dt.timedelta(days=71))
AFTER = (TODAY - dt.timedelta(days=65), TODAY - dt.timedelta(days=36))


def _answers(unit: OrgUnit, start: dt.date, days: int, promoter_share: float, rng: Any) -> None:
    rows = []
    for i in range(40):
        day = start + dt.timedelta(days=i % days)
        roll = rng.random()
        score = 10 if roll < promoter_share else (7 if roll < promoter_share + 0.3 else 3)
        received = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        rows.append(
            Feedback(source="survey", text="", org_unit=unit, nps=score, received_at=received)
        )
    Feedback.objects.bulk_create(rows)


@pytest.fixture
def pilot(org: Org) -> Pilot:
    """Four pilot stores whose promoters rise from about 40 % to 70 %, four controls that stay."""
    rng = random.Random(3)
    stores = [OrgUnitFactory(name=f"Tienda {i}", parent=org.north) for i in range(8)]
    for i, store in enumerate(stores):
        base = 0.35 + 0.02 * i
        _answers(store, BEFORE[0], 30, base, rng)
        _answers(store, AFTER[0], 30, base + (0.3 if i < 4 else 0.0), rng)
    initiative = Initiative.objects.create(
        title="Cita previa para recoger", problem="Esperas largas", org_unit=org.north
    )
    created = Pilot.objects.create(
        initiative=initiative, name="Cita previa en 4 tiendas",
        before_start=BEFORE[0], before_end=BEFORE[1], after_start=AFTER[0], after_end=AFTER[1],
    )  # fmt: skip
    created.treated_units.set(stores[:4])
    created.control_units.set(stores[4:])
    return created


def test_the_pilot_page_shows_the_effect_its_interval_and_the_verdict(
    client: Any, personas: Personas, pilot: Pilot
) -> None:
    result = effects.pilot_effect(pilot, effects.pilot_answers(pilot))
    assert result is not None and result.low > 0 and 30 < result.effect < 90
    assert (result.treated_units, result.control_units, result.n) == (4, 4, 640)
    client.force_login(personas.analyst)
    page = client.get(
        reverse("initiatives:pilot_detail", args=[pilot.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )
    html = page.content.decode()
    assert page.status_code == 200
    with translation.override("es"):
        expected = effects.verdict(result).text
    assert re.search(r"mejora de \d+,\d puntos, IC 95 % \d+,\d–\d+,\d: extender a todas", expected)
    assert expected[0].upper() + expected[1:] in html  # capitalised on the page
    rows = chart_rows(html, "chart-trends")
    assert {row["group"] for row in rows} == {"Unidades del piloto", "Unidades de control"}
    assert sum(row["n"] for row in rows) == result.n


def test_no_difference_is_no_effect_shown(org: Org, pilot: Pilot) -> None:
    pilot.treated_units.set(list(pilot.control_units.all())[:2])
    pilot.control_units.set(list(pilot.control_units.all())[2:])
    result = effects.pilot_effect(pilot, effects.pilot_answers(pilot))
    verdict = effects.verdict(result)
    assert result is not None and result.low < 0 < result.high
    assert verdict.kind == "no_effect" and verdict.text.startswith("sin efecto demostrado")


def test_too_few_units_is_said_plainly(pilot: Pilot) -> None:
    pilot.control_units.set(list(pilot.control_units.all())[:1])
    result = effects.pilot_effect(pilot, effects.pilot_answers(pilot))
    assert result is None and effects.verdict(None).kind == "not_enough"


def test_the_api_gives_the_same_effect(client: Any, personas: Personas, pilot: Pilot) -> None:
    client.force_login(personas.analyst)
    body = client.get(f"/api/initiatives/pilots/{pilot.pk}").json()
    result = effects.pilot_effect(pilot, effects.pilot_answers(pilot))
    assert result is not None
    assert body["verdict"] == "improved" and body["effect"]["effect"] == pytest.approx(
        result.effect
    )
    assert len(client.get("/api/initiatives/").json()["items"]) == 1
    client.force_login(personas.viewer)  # south region: the north's pilot is out of reach
    assert client.get(f"/api/initiatives/pilots/{pilot.pk}").status_code == 404


def test_initiatives_and_pilots_are_created_and_edited_from_forms(
    client: Any, org: Org, personas: Personas
) -> None:
    client.force_login(personas.analyst)
    created = client.post(reverse("initiatives:create"), {
        "title": "Colas en caja", "problem": "Esperas de 20 minutos", "org_unit": org.north.pk,
        "status": "planned", "cost": "12000", "expected_impact": "5",
    })  # fmt: skip
    initiative = Initiative.objects.get()
    assert created.status_code == 302 and initiative.status == "planned"
    stores = [org.north_store, OrgUnitFactory(parent=org.north), OrgUnitFactory(parent=org.north)]
    url = reverse("initiatives:pilot_create", args=[initiative.pk])
    form = {
        "name": "Caja rápida", "metric": "csat", "treated_units": [stores[0].pk],
        "control_units": [stores[0].pk, stores[1].pk], "before_start": "2026-09-01",
        "before_end": "2026-10-10", "after_start": "2026-10-01", "after_end": "2026-11-01",
    }  # fmt: skip
    refused = client.post(url, form)
    assert refused.status_code == 422 and not Pilot.objects.exists()
    assert "no puede ser a la vez" in refused.content.decode() or "both" in refused.content.decode()
    form |= {"control_units": [stores[1].pk, stores[2].pk], "before_end": "2026-09-30"}
    assert client.post(url, form).status_code == 302
    pilot = Pilot.objects.get()
    assert set(pilot.control_units.all()) == {stores[1], stores[2]}
    outside = form | {"treated_units": [org.south_store.pk]}
    edit = reverse("initiatives:pilot_edit", args=[pilot.pk])
    assert client.post(edit, outside).status_code == 422  # a unit outside the initiative's
    edited = client.post(reverse("initiatives:edit", args=[initiative.pk]), {
        "title": "Colas en caja", "problem": "Esperas", "org_unit": org.north.pk,
        "status": "piloting",
    })  # fmt: skip
    assert edited.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "piloting"
    page = client.get(reverse("initiatives:list"), {"status": "piloting"}).content.decode()
    assert "Colas en caja" in page and "Caja rápida" in page


def test_the_verdict_rounds_its_figures() -> None:
    result = DidEstimate(32.94, 20.48, 45.39, 0.001, 5.8, 1390, 16, 8, 8)
    with translation.override("es"):
        text = effects.verdict(result).text
    assert text == "mejora de 32,9 puntos, IC 95 % 20,5–45,4: extender a todas las tiendas"
