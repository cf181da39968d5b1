"""Employees' eNPS against customers' NPS per unit: the statistic, and the pulse gate kept."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.initiatives.employees import compare, default_period, reading
from pulso.lib.stats import pearson_with_interval
from pulso.metrics.jobs import refresh_pending
from pulso.pulses import actions
from pulso.pulses.models import Pulse
from tests.charts import chart_rows
from tests.conftest import Org, Personas
from tests.factories import OrgUnitFactory
from tests.metrics.factories import ResponseFactory, SurveyFactory


def test_correlation_and_its_interval_match_a_hand_computation() -> None:
    xs, ys = [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 5.0, 4.0, 5.0]
    # Deviations from the means (3 and 4): x −2 −1 0 1 2, y −2 0 1 0 1; Σxy = 6, Σx² = 10,
    # Σy² = 6, so r = 6 / √60; Fisher's z = atanh(r), its standard error 1 / √(5 − 3).
    r = 6 / math.sqrt(60)
    half = 1.959964 / math.sqrt(2)
    found = pearson_with_interval(xs, ys)
    assert found is not None and found.n == 5
    assert found.r == pytest.approx(r) == pytest.approx(0.774597, abs=1e-6)
    assert found.low == pytest.approx(math.tanh(math.atanh(r) - half), abs=1e-6)
    assert found.high == pytest.approx(math.tanh(math.atanh(r) + half), abs=1e-6)
    assert (round(found.low, 3), round(found.high, 3)) == (-0.340, 0.984)
    assert pearson_with_interval(xs[:3], ys[:3]) is None  # fewer than 4 units
    assert pearson_with_interval(xs, [3.0] * 5) is None  # customers' NPS does not vary


def _answer_pulse(pulse: Pulse, unit: OrgUnit, promoters: int, detractors: int) -> None:
    tokens = actions.do_issue_invitations(pulse, unit, "", promoters + detractors, None)
    items = list(pulse.items.values_list("pk", flat=True))
    for k, token in enumerate(tokens):
        actions.do_record_pulse_response(token, 10 if k < promoters else 0, dict.fromkeys(items, 3))


def _customers(unit: OrgUnit, survey: Any, promoters: int, detractors: int) -> None:
    when = timezone.now() - timedelta(days=2)
    for k in range(promoters + detractors):
        nps = 10 if k < promoters else 2
        ResponseFactory(survey=survey, nps=nps, org_unit=unit, submitted_at=when)


# Store: (employees promoting, detracting), (customers promoting, detracting).
STORES = {
    "Tienda A": ((8, 2), (9, 1)),  # eNPS 60, NPS 80
    "Tienda B": ((5, 5), (6, 4)),  # eNPS 0, NPS 20
    "Tienda C": ((6, 4), (5, 5)),  # eNPS 20, NPS 0
    "Tienda D": ((9, 1), (7, 3)),  # eNPS 80, NPS 40
    "Tienda E": ((3, 7), (3, 7)),  # eNPS −40, NPS −40
}


@pytest.fixture
def compared(org: Org) -> dict[str, Any]:
    """Five stores of the north with 10 answers each, and one with 2 (hidden by the gate)."""
    pulse = actions.do_create_pulse("Pulso de invierno", org.north, ["Me siento valorado."], None)
    survey = SurveyFactory()
    stores = {}
    for name, (staff, customers) in STORES.items():
        stores[name] = OrgUnitFactory(name=name, parent=org.north)
        _answer_pulse(pulse, stores[name], *staff)
        _customers(stores[name], survey, *customers)
    small = OrgUnitFactory(name="Tienda Pequeña", parent=org.north)
    _answer_pulse(pulse, small, 2, 0)
    _customers(small, survey, 0, 10)
    refresh_pending()
    return {"pulse": pulse, "stores": stores, "small": small}


def test_units_hidden_by_the_pulse_gate_never_appear(
    client: Any, org: Org, personas: Personas, compared: dict[str, Any]
) -> None:
    pulse = compared["pulse"]
    start, end = default_period(pulse)
    found = compare(pulse, personas.analyst, start, end, OrgUnit.Kind.STORE)
    names = {p.unit.name for p in found.points}
    assert "Tienda Pequeña" not in names
    # Subtracting the five stores from the region would reveal the small one, so the gate
    # also withholds one store: at least four remain and each is exactly as the pulse shows.
    assert len(names) >= 4 and names <= set(STORES)
    for point in found.points:
        (staff_up, staff_down), (cust_up, cust_down) = STORES[point.unit.name]
        assert point.enps == pytest.approx(10 * (staff_up - staff_down))
        assert point.nps == pytest.approx(10 * (cust_up - cust_down))
        assert (point.employees, point.customers) == (10, 10)
    expected = pearson_with_interval([p.enps for p in found.points], [p.nps for p in found.points])
    assert found.correlation == expected and found.correlation is not None
    client.force_login(personas.analyst)
    page = client.get(reverse("initiatives:employees", args=[pulse.pk]), HTTP_ACCEPT_LANGUAGE="es")
    html = page.content.decode()
    assert page.status_code == 200 and "Tienda Pequeña" not in html
    assert "Correlación " + f"{found.correlation.r:.2f}".replace(".", ",") in html
    assert f"{len(names)} tiendas" in html
    assert {row["unit"] for row in chart_rows(html, "chart-employees")} == names
    portfolio = client.get(reverse("initiatives:list")).content.decode()
    assert reverse("initiatives:employees", args=[pulse.pk]) in portfolio
    api = client.get(f"/api/initiatives/pulses/{pulse.pk}/customers").json()
    assert {u["unit"] for u in api["units"]} == names
    assert api["correlation"]["r"] == pytest.approx(found.correlation.r)


def test_the_correlation_is_pearsons_r_of_the_units_shown(
    org: Org, personas: Personas, compared: dict[str, Any]
) -> None:
    pulse = compared["pulse"]
    start, end = default_period(pulse)
    found = compare(pulse, personas.analyst, start, end, OrgUnit.Kind.STORE)
    assert found.correlation is not None
    xs = [p.enps for p in found.points]
    ys = [p.nps for p in found.points]
    n, mx, my = len(xs), sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    r = sxy / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    assert found.correlation.r == pytest.approx(r)
    half = 1.959964 / math.sqrt(n - 3)
    assert found.correlation.low == pytest.approx(math.tanh(math.atanh(r) - half), abs=1e-6)


def test_fewer_than_four_units_say_there_are_not_enough(
    client: Any, org: Org, personas: Personas
) -> None:
    pulse = actions.do_create_pulse("Pulso", org.north, ["Me siento valorado."], None)
    survey = SurveyFactory()
    for name in ("Tienda X", "Tienda Y"):
        store = OrgUnitFactory(name=name, parent=org.north)
        _answer_pulse(pulse, store, 6, 4)
        _customers(store, survey, 5, 5)
    refresh_pending()
    start, end = default_period(pulse)
    found = compare(pulse, personas.analyst, start, end, OrgUnit.Kind.STORE)
    assert found.correlation is None
    client.force_login(personas.analyst)
    page = client.get(reverse("initiatives:employees", args=[pulse.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert "No hay suficientes unidades" in page.content.decode()
    assert reading(found)  # a sentence, never an error
    bad = client.get(
        reverse("initiatives:employees", args=[pulse.pk]),
        {"start": "2026-05-01", "end": "2025-01-01"},
    )
    assert bad.status_code == 422
    api = client.get(f"/api/initiatives/pulses/{pulse.pk}/customers", {"start": "nope"})
    assert api.status_code == 422 and "start" in api.json()["errors"]
