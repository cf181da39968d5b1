"""Changes between periods are called significant only when both periods have the base for it,
and the dashboards say when the comparison period starts before the first data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.lib import stats
from pulso.metrics import metrics
from pulso.metrics.metrics import Totals
from tests.metrics.conftest import Data

pytestmark = pytest.mark.django_db


def test_a_change_from_one_answer_is_not_significant() -> None:
    now = Totals(n=200, nps_n=200, promoters=20, detractors=150)
    one_promoter = Totals(n=1, nps_n=1, promoters=1)
    # The bare z-test calls it significant (the single answer has no variance) ...
    raw = stats.nps_difference(stats.nps_with_margin(20, 150, 200), stats.nps_with_margin(1, 0, 1))
    assert raw is not None and raw.significant
    # ... the dashboards' figure does not.
    value = metrics.nps(now, one_promoter)
    assert value.change is not None
    assert value.change.delta == pytest.approx(-165.0)
    assert not value.change.significant and not value.change_tested
    assert value.as_dict()["significant"] is False and value.as_dict()["previous_n"] == 1


def test_a_change_between_two_full_bases_is_tested() -> None:
    value = metrics.nps(
        Totals(n=200, nps_n=200, promoters=20, detractors=150),
        Totals(n=200, nps_n=200, promoters=120, detractors=30),
    )
    assert value.change is not None and value.change.significant and value.change_tested
    csat = metrics.csat(
        Totals(n=40, csat_n=40, csat_top2=5, csat_sum=80),
        Totals(n=3, csat_n=3, csat_top2=3, csat_sum=15),
    )
    assert csat.change is not None and not csat.change.significant and not csat.change_tested


def test_the_unit_page_does_not_star_a_change_from_two_answers(
    client: Client, data: Data, org: Any, personas: Any
) -> None:
    client.force_login(personas.analyst)
    page = client.get("/dashboards/units/bilbao/", {"from": "2025-06-01", "to": "2025-06-30"})
    card = page.context["card"]
    assert card.nps.previous_n == 2 and card.nps.change.delta > 100
    assert not card.nps.change.significant
    assert "sin contrastar" in page.content.decode()


def test_a_note_when_the_previous_period_starts_before_the_first_data(
    client: Client, data: Data, personas: Any
) -> None:
    client.force_login(personas.analyst)
    june = client.get("/dashboards/", {"from": "2025-06-01", "to": "2025-06-30"})
    assert june.context["data"].card.extra["previous_before_data"] is True
    assert june.context["data"].card.extra["first_data"] == "2025-05-20"
    assert "previous-before-data" in june.content.decode()

    late_june = client.get("/dashboards/", {"from": "2025-06-21", "to": "2025-06-30"})
    assert late_june.context["data"].card.extra["previous_before_data"] is False
    assert "previous-before-data" not in late_june.content.decode()
