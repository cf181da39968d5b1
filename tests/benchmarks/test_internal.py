"""Internal benchmark: units, channels, touchpoints against the rest of the person's scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pulso.benchmarks.internal import benchmark
from pulso.metrics.filters import MetricFilter
from tests.benchmarks.conftest import JUNE, Interactions, client_for

pytestmark = pytest.mark.django_db
F = MetricFilter(start=date(2025, 6, 1), end=date(2025, 6, 30))


def test_stores_against_the_rest_of_the_company(interactions: Interactions, personas: Any) -> None:
    rows = benchmark(F, personas.analyst, "unit", kind="store")
    assert [r.label for r in rows] == ["Tienda Bilbao", "Tienda Sevilla"]
    north, south = rows
    assert (north.value.value, north.value.n) == (pytest.approx(50), 30)
    # the company: 56 promoters and 38 detractors in 120 answers = 15
    assert north.scope.value == pytest.approx(15)
    assert north.gap == pytest.approx(35)
    # the rest: 36 promoters, 33 detractors in 90 answers
    assert north.rest.n == 90 and north.rest.value == pytest.approx(300 / 90)
    assert north.significant
    assert south.value.low_base and not south.significant


def test_channels_and_touchpoints(interactions: Interactions, personas: Any) -> None:
    channels = {r.key: r for r in benchmark(F, personas.analyst, "channel")}
    assert set(channels) == {"call_centre", "chat", "store"}
    assert channels["chat"].value.value == pytest.approx(40)
    assert channels["chat"].rest.n == 80
    touchpoints = benchmark(F, personas.analyst, "touchpoint")
    assert [r.label for r in touchpoints] == [
        "Chat de soporte",
        "Compra en tienda",
        "Aviso de avería",
    ]
    types = {r.key: r.value.n for r in benchmark(F, personas.analyst, "interaction_type")}
    assert types == {"incident": 80, "purchase": 40}


def test_a_store_manager_compares_only_within_their_units(
    interactions: Interactions, personas: Any
) -> None:
    rows = benchmark(F, personas.store_manager, "unit", kind="store")
    assert [r.label for r in rows] == ["Tienda Bilbao"]
    assert rows[0].rest.n == 0 and rows[0].test is None
    assert benchmark(F, personas.store_manager, "channel")[0].value.n == 30


def test_the_page_is_sorted_paginated_and_charted(
    interactions: Interactions, personas: Any
) -> None:
    client = client_for(personas.analyst)
    response = client.get(f"/benchmarks/internal/?{JUNE}&dimension=touchpoint")
    assert response.status_code == 200
    table = response.context["chart"]["datasets"]["table"]
    assert [r["label"] for r in table] == ["Chat de soporte", "Compra en tienda", "Aviso de avería"]
    assert table[0]["low"] == pytest.approx(40 - table[0]["margin"], abs=0.11)
    assert response.context["page"].paginator.num_pages == 1
    assert client.get(f"/benchmarks/internal/?{JUNE}&dimension=planet").status_code == 400
    assert client.get(f"/benchmarks/internal/?{JUNE}&page=x").status_code == 200
