"""Proposed problems: topics ranked by the NPS points they cost, within the person's units."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pulso.initiatives.problems import proposed_problems
from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory


def _comment(unit: Any, nps: int, topic: Topic | None) -> None:
    item = FeedbackFactory(org_unit=unit, source="survey", nps=nps)
    analysis = TextAnalysis.objects.create(
        feedback=item, language="es", sentiment="negative", written_at=timezone.now()
    )
    if topic is not None:
        TopicMention.objects.create(analysis=analysis, topic=topic, sentiment="negative")


def test_a_topic_of_unhappy_customers_is_proposed_with_the_points_it_costs(
    client: Any, org: Org, personas: Personas
) -> None:
    waiting = Topic.objects.create(slug="colas", name_es="Colas", rule_es="cola")
    prices = Topic.objects.create(slug="precios", name_es="Precios", rule_es="precio")
    for _ in range(25):
        _comment(org.north_store, 2, waiting)  # detractors who mention queues
    for _ in range(20):
        _comment(org.north_store, 10, prices)  # promoters who mention prices
    for _ in range(55):
        _comment(org.north_store, 10, None)
    [problem] = proposed_problems(personas.analyst)
    assert problem.topic == waiting and problem.mentions == 25
    assert problem.nps_with == -100 and problem.nps_without == 100
    assert problem.points_at_stake == pytest.approx(0.25 * 200)
    assert proposed_problems(personas.viewer) == []  # the south region has no such comments
    client.force_login(personas.analyst)
    page = client.get(reverse("initiatives:list")).content.decode()
    assert "Colas" in page and f"?topic={waiting.pk}" in page
    form = client.get(reverse("initiatives:create"), {"topic": waiting.pk}).content.decode()
    assert 'value="Colas"' in form
