"""The driver analysis read from the database: the matrix, the ranking, the page and the API."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pytest
from django.test import Client

from pulso.drivers.analysis import analyse
from pulso.drivers.queries import driver_matrix
from pulso.metrics.filters import MetricFilter
from pulso.surveys.models import Answer, Question
from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention
from tests.factories import JourneyFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import ResponseFactory, SurveyFactory, local

pytestmark = pytest.mark.django_db

PERIOD = MetricFilter(start=date(2025, 6, 1), end=date(2025, 6, 30))


@dataclass
class World:
    journey: Any
    price: Topic
    # (nps, csat, speed, mentions price, store) of each response, as written
    rows: list[tuple[int, int, int, bool, Any]]


def _world(org: Any, n: int = 160) -> World:
    """One journey, one survey with a rated attribute (speed); NPS follows speed closely,
    satisfaction with the touchpoint loosely, and falls when the comment is about prices."""
    journey = JourneyFactory(name="Compra", slug="compra")
    touchpoint = TouchpointFactory(stage=StageFactory(journey=journey), name="Caja")
    survey = SurveyFactory(touchpoint=touchpoint)
    speed = Question.objects.create(
        version=survey.current_version, key="rapidez", kind=Question.Kind.RATING,
        text_es="Rapidez en caja", scale_min=1, scale_max=5,
    )  # fmt: skip
    price = Topic.objects.get_or_create(slug="precio", defaults={"name_es": "Precio"})[0]
    rng = random.Random(4)
    rows = []
    for i in range(n):
        speed_score, csat = rng.randint(1, 5), rng.randint(1, 5)
        about_price = rng.random() < 0.25
        nps = 2 * speed_score + (csat >= 4) - 2 * about_price + rng.choice([-1, 0, 0, 1])
        nps = min(max(nps, 0), 10)
        store = org.north_store if i % 2 else org.south_store
        response = ResponseFactory(
            survey=survey, nps=nps, csat=csat, org_unit=store, submitted_at=local(2025, 6, 10)
        )
        Answer.objects.create(response=response, question=speed, number=speed_score)
        if about_price:
            analysis = TextAnalysis.objects.create(feedback=response.feedback, sentiment="negative")
            TopicMention.objects.create(analysis=analysis, topic=price, sentiment="negative")
        rows.append((nps, csat, speed_score, about_price, store))
    # Outside the period: not read.
    ResponseFactory(survey=survey, nps=0, csat=1, submitted_at=local(2025, 7, 2))
    return World(journey, price, rows)


def test_the_matrix_holds_each_response_drivers(org: Any, personas: Any) -> None:
    world = _world(org)
    matrix = driver_matrix(PERIOD, personas.admin)

    assert [d.key for d in matrix.drivers] == [
        f"touchpoint:{world.journey.stages.get().touchpoints.get().pk}",
        "attribute:rapidez",
        "topic:precio",
    ]
    assert matrix.n == len(world.rows)
    expected = np.array(
        [[(c - 1) / 4, (s - 1) / 4, float(p)] for _, c, s, p, _ in world.rows], dtype=float
    )
    assert np.allclose(matrix.y, [r[0] for r in world.rows])
    assert np.allclose(matrix.x, expected)


def test_the_attribute_that_drives_nps_ranks_first(org: Any, personas: Any) -> None:
    _world(org)
    result = analyse(driver_matrix(PERIOD, personas.admin), low_base=30)
    assert result is not None
    ranked = [r.driver.key for r in result.ranked()]
    assert ranked[0] == "attribute:rapidez"
    speed = result.ranked()[0]
    assert speed.low > 0 and speed.direction == 1 and speed.share > 0.5
    price = result.topics()[0]
    assert price.direction == -1
    assert price.impact is not None and price.impact.high < 0 and price.impact.significant


def test_a_store_manager_analyses_only_their_store(org: Any, personas: Any) -> None:
    world = _world(org)
    matrix = driver_matrix(PERIOD, personas.store_manager)
    north = [r for r in world.rows if r[4] == org.north_store]
    assert matrix.n == len(north)
    assert np.allclose(matrix.y, [r[0] for r in north])


def test_the_page_shows_the_priority_chart_and_marks_a_low_base(
    client: Client, org: Any, personas: Any
) -> None:
    _world(org, n=24)
    client.force_login(personas.analyst)
    page = client.get("/drivers/", {"from": "2025-06-01", "to": "2025-06-30", "journey": "compra"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-chart="chart-priority"' in html
    spec = page.context["priority_chart"]
    drivers = {row["driver"] for row in spec["datasets"]["table"]}
    assert drivers == {"Caja", "Rapidez en caja"}
    assert "low-base" in html  # 24 responses < 30


def test_the_page_explains_when_there_are_too_few_responses(client: Client, personas: Any) -> None:
    client.force_login(personas.analyst)
    page = client.get("/drivers/", {"from": "2025-06-01", "to": "2025-06-30"})
    assert page.status_code == 200
    assert page.context["result"] is None
    assert b"empty-state" in page.content


def test_bad_filters_are_form_errors(client: Client, personas: Any) -> None:
    client.force_login(personas.analyst)
    page = client.get("/drivers/", {"from": "2025-07-01", "to": "yesterday"})
    assert page.status_code == 400
    assert b'role="alert"' in page.content


def test_the_api_returns_the_figures(client: Client, org: Any, personas: Any) -> None:
    _world(org)
    client.force_login(personas.analyst)
    answer = client.get("/api/drivers", {"from": "2025-06-01", "to": "2025-06-30"})
    assert answer.status_code == 200
    body = json.loads(answer.content)
    assert body["n"] == 160 and body["low_base"] is False
    assert body["drivers"][0]["key"] == "attribute:rapidez"
    first = body["drivers"][0]
    assert first["low"] <= first["importance"] <= first["high"]
    topic = next(d for d in body["drivers"] if d["kind"] == "topic")
    assert topic["impact"]["delta"] < 0
    bad = client.get("/api/drivers", {"from": "2025-07-01", "to": "yesterday"})
    assert bad.status_code == 422


def test_each_unit_gets_its_drivers_where_the_base_allows(
    client: Client, org: Any, personas: Any
) -> None:
    _world(org)
    client.force_login(personas.analyst)
    page = client.get("/drivers/", {"from": "2025-06-01", "to": "2025-06-30"})
    units = page.context["units"]
    assert [(u.unit.code, u.n, u.low_base) for u in units] == [
        ("norte", 80, False),
        ("sur", 80, False),
    ]
    assert all(u.top[0].driver.key == "attribute:rapidez" for u in units)
    assert "Rapidez en caja (" in page.content.decode()

    north = client.get("/drivers/", {"from": "2025-06-01", "to": "2025-06-30", "unit": "norte"})
    assert [(u.unit.code, u.n) for u in north.context["units"]] == [("bilbao", 80)]
    assert north.context["result"].n == 80


def test_a_unit_below_the_low_base_is_marked_not_ranked(
    client: Client, org: Any, personas: Any
) -> None:
    _world(org, n=40)
    client.force_login(personas.analyst)
    answer = client.get("/api/drivers", {"from": "2025-06-01", "to": "2025-06-30"})
    units = json.loads(answer.content)["units"]
    assert [(u["unit"], u["n"], u["low_base"], u["drivers"]) for u in units] == [
        ("norte", 20, True, []),
        ("sur", 20, True, []),
    ]


def test_the_page_analyses_one_survey(client: Client, org: Any, personas: Any) -> None:
    world = _world(org)
    other = SurveyFactory(touchpoint=TouchpointFactory(stage=StageFactory(journey=world.journey)))
    for score in range(12):
        ResponseFactory(survey=other, nps=score % 11, csat=3, submitted_at=local(2025, 6, 11))
    client.force_login(personas.analyst)
    everything = client.get("/drivers/", {"from": "2025-06-01", "to": "2025-06-30"})
    assert everything.context["result"].n == 172
    one = client.get("/drivers/", {"from": "2025-06-01", "to": "2025-06-30", "survey": other.pk})
    assert one.context["result"].n == 12
    assert f'<option value="{other.pk}" selected>' in one.content.decode()
