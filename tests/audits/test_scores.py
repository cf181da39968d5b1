"""Scores by unit, touchpoint and standard, checked against sums worked out by hand, and the
overview's query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pulso.audits.actions import AnswerIn, do_record_visit
from pulso.audits.models import Checklist, Visit
from pulso.audits.scores import by_standard, by_touchpoint, by_unit
from tests.audits.factories import make_checklist, plan

pytestmark = pytest.mark.django_db


def record(checklist: Checklist, unit: Any, greeted: bool, rating: int, window: bool) -> Visit:
    visit = plan(checklist, unit)
    given = {}
    for standard in checklist.standards.all():
        given[standard.pk] = {
            "yes_no": AnswerIn(passed=greeted),
            "scale": AnswerIn(rating=rating),
            "photo": AnswerIn(passed=window),
            "comment": AnswerIn(comment="—"),
        }[standard.kind]
    return do_record_visit(visit, given, token=f"t{visit.pk}")[0]


@pytest.fixture
def visits(org: Any) -> Any:
    checklist = make_checklist()
    # (greeting ×2, kindness, shop window) / 4
    record(checklist, org.north_store, True, 5, True)  # (200 + 100 + 100) / 4 = 100
    record(checklist, org.north_store, False, 3, True)  # (0 + 50 + 100) / 4 = 37.5
    record(checklist, org.south_store, True, 1, False)  # (200 + 0 + 0) / 4 = 50
    plan(checklist, org.south_store)  # planned only: not counted
    return Visit.objects.all()


def test_scores_by_unit_and_touchpoint(org: Any, visits: Any) -> None:
    assert by_unit(visits) == [
        {"unit_id": org.north_store.pk, "name": "Tienda Bilbao", "score": 68.8, "visits": 2,
         "critical": 1},
        {"unit_id": org.south_store.pk, "name": "Tienda Sevilla", "score": 50.0, "visits": 1,
         "critical": 0},
    ]  # fmt: skip
    [touchpoint] = by_touchpoint(visits)
    # the mean of the visits' rounded scores: (100 + 37.5 + 50) / 3
    assert touchpoint["score"] == 62.5 and touchpoint["visits"] == 3 and touchpoint["critical"] == 1


def test_scores_by_standard_weakest_first(visits: Any) -> None:
    rows = {row["text"]: row for row in by_standard(visits)}
    assert list(rows) == [
        "Amabilidad del vendedor",  # 100, 50, 0 → 50
        "Escaparate limpio y con la campaña vigente",  # met 2 of 3 → 66.7
        "Saludo en menos de 30 segundos",  # met 2 of 3 → 66.7
    ]
    kindness = rows["Amabilidad del vendedor"]
    assert kindness["score"] == 50.0 and kindness["answers"] == 3 and kindness["failed"] == 1
    assert kindness["met_rate"] == 66.7
    greeting = rows["Saludo en menos de 30 segundos"]
    assert greeting["critical"] is True and greeting["met_rate"] == 66.7


def test_the_overview_reads_a_fixed_number_of_queries(
    personas: Any, visits: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(personas.admin)
    client.get(reverse("audits:overview"))  # warm the session and the grants
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audits:overview"))
    assert len(response.context["pairs"]) == 2
