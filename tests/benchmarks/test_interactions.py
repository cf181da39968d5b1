"""Interaction type × channel: cells, their test against the type's other channels, scoping."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from pulso.benchmarks.interactions import interaction_grid
from pulso.metrics.filters import MetricFilter
from tests.benchmarks.conftest import JUNE, Interactions, client_for

pytestmark = pytest.mark.django_db
F = MetricFilter(start=date(2025, 6, 1), end=date(2025, 6, 30))


def test_cells_by_interaction_type_and_channel(interactions: Interactions, personas: Any) -> None:
    grid = interaction_grid(F, personas.analyst)
    assert grid.types == ["purchase", "incident"]
    assert grid.channels == ["store", "call_centre", "chat"]
    phone = grid.cells[("incident", "call_centre")]
    chat = grid.cells[("incident", "chat")]
    store = grid.cells[("purchase", "store")]
    assert (phone.value.value, phone.value.n) == (pytest.approx(-25), 40)
    assert (chat.value.value, chat.value.n) == (pytest.approx(40), 40)
    assert (store.value.value, store.value.n) == (pytest.approx(30), 40)  # both stores
    # the phone against the chat (the rest of its type): 13.11 and 12.65 points of error
    se = math.hypot(math.sqrt(0.6875 / 40), math.sqrt(0.64 / 40)) * 100
    assert phone.test is not None and phone.test.delta == pytest.approx(-65)
    assert phone.test.z == pytest.approx(-65 / se)
    assert phone.significant and chat.significant
    assert store.test is None  # purchases come through one channel only: nothing to compare


def test_a_store_manager_sees_only_their_stores_cells(
    interactions: Interactions, personas: Any
) -> None:
    grid = interaction_grid(F, personas.store_manager)
    assert list(grid.cells) == [("purchase", "store")]
    store = grid.cells[("purchase", "store")]
    assert (store.value.value, store.value.n) == (pytest.approx(50), 30)


def test_low_base_cells_are_drawn_grey_and_never_significant(
    interactions: Interactions, personas: Any, settings: Any
) -> None:
    settings.PULSO_LOW_BASE_N = 50
    grid = interaction_grid(F, personas.analyst)
    phone = grid.cells[("incident", "call_centre")]
    assert phone.value.low_base and not phone.significant
    rows = {(r["type"], r["channel"]): r for r in grid.chart_rows()}
    assert all(r["low_base"] for r in rows.values())
    assert not any(r["significant"] for r in rows.values())


def test_the_page_holds_the_cells_in_its_chart(interactions: Interactions, personas: Any) -> None:
    response = client_for(personas.analyst).get(f"/benchmarks/?{JUNE}")
    assert response.status_code == 200
    rows = response.context["chart"]["datasets"]["table"]
    # purchases first, then faults; channels in their usual order (store, phone, chat)
    assert [r["text"] for r in rows] == ["30", "-25*", "40*"]
    phone = next(r for r in rows if r["text"].startswith("-25"))
    assert phone["n"] == 40 and phone["significant"] and phone["text"] == "-25*"
    assert "Comparativa de interacciones por tipo y canal" in response.content.decode()
    assert 'id="chart-interactions"' in response.content.decode()


def test_bad_choices_are_a_clear_400(interactions: Interactions, personas: Any) -> None:
    response = client_for(personas.analyst).get(f"/benchmarks/?{JUNE}&metric=nope")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_empty_state(db: None, personas: Any) -> None:
    response = client_for(personas.analyst).get(f"/benchmarks/?{JUNE}")
    assert response.status_code == 200
    assert "empty-state" in response.content.decode()
