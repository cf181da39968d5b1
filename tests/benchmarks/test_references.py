"""Sector references against the company's figure: the gap, its test when the base is known,
"not tested" without one; the page and the API list."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from pulso.benchmarks.models import ReferenceValue
from pulso.benchmarks.references import LOW_BASE, NO_DATA, TESTED, UNTESTED, gaps
from pulso.metrics.filters import MetricFilter
from tests.benchmarks.conftest import JUNE, Interactions, client_for

pytestmark = pytest.mark.django_db
F = MetricFilter(start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30))


def reference(value: float, base: int | None = None, **scope: Any) -> ReferenceValue:
    return ReferenceValue.objects.create(
        metric=scope.pop("metric", "nps"), sector="Electro", value=value, base_n=base,
        source="Estudio de ejemplo", published_on=dt.date(2025, 3, 31), **scope,
    )  # fmt: skip


def test_gaps_and_their_tests(interactions: Interactions, personas: Any) -> None:
    incident = reference(10, 400, interaction_type="incident")
    chat = reference(5, 1000, interaction_type="incident", channel="chat")
    unknown_base = reference(10)
    small = reference(10, 20, label="Encuesta pequeña")
    csat = reference(80, 500, metric="csat")
    found = {g.reference.pk: g for g in gaps(ReferenceValue.objects.all(), F, personas.analyst)}
    # faults (phone and chat): 34 promoters, 28 detractors of 80 -> 7.5
    g = found[incident.pk]
    assert (g.company.value, g.company.n, g.gap) == (pytest.approx(7.5), 80, pytest.approx(-2.5))
    company_se = math.sqrt((0.775 - 0.075**2) / 80) * 100
    reference_se = math.sqrt((1 - 0.1**2) / 400) * 100
    assert g.test is not None
    assert g.test.z == pytest.approx(-2.5 / math.hypot(company_se, reference_se))
    assert g.status == TESTED and not g.significant
    g = found[chat.pk]  # chat 40 (n 40) against 5 (n 1000): z = 35 / 13.04 = 2.68
    assert g.gap == pytest.approx(35) and g.status == TESTED and g.significant
    assert found[unknown_base.pk].status == UNTESTED and found[unknown_base.pk].test is None
    assert found[unknown_base.pk].gap == pytest.approx(5)  # the whole company: 15
    assert found[small.pk].status == LOW_BASE and not found[small.pk].significant
    assert found[csat.pk].status == NO_DATA and found[csat.pk].gap is None


def test_a_store_manager_sees_the_references_against_their_own_figure(
    interactions: Interactions, personas: Any
) -> None:
    reference(10, 400)
    response = client_for(personas.store_manager).get(f"/benchmarks/references/?{JUNE}")
    assert response.status_code == 200
    (gap,) = response.context["gaps"]
    assert (gap.company.value, gap.company.n) == (pytest.approx(50), 30)
    assert "Importar valores de referencia" not in response.content.decode()
    rows = response.context["chart"]["datasets"]["table"]
    assert rows[0]["gap"] == pytest.approx(40) and rows[0]["company_n"] == 30


def test_the_api_lists_references_with_gaps(interactions: Interactions, personas: Any) -> None:
    reference(10)
    response = client_for(personas.viewer).get(f"/api/benchmarks/references?{JUNE}")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    # the viewer holds the south region: only the Seville store's 10 answers (NPS -30)
    assert (item["company"], item["company_n"], item["status"]) == (-30.0, 10, "untested")


def test_empty_list_invites_an_editor_to_import(db: None, personas: Any) -> None:
    response = client_for(personas.analyst).get("/benchmarks/references/")
    assert response.status_code == 200
    assert "/benchmarks/references/import/" in response.content.decode()


def test_an_editor_deletes_a_reference(personas: Any) -> None:
    kept = reference(1)
    client_for(personas.store_manager).post(f"/benchmarks/references/{kept.pk}/delete/")
    assert ReferenceValue.objects.filter(pk=kept.pk).exists()
    response = client_for(personas.analyst).post(f"/benchmarks/references/{kept.pk}/delete/")
    assert response.status_code == 302
    assert not ReferenceValue.objects.filter(pk=kept.pk).exists()
