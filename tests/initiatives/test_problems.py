"""Proposed problems: topics ranked by the NPS points they cost, within the person's units."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pulso.initiatives.models import Initiative
from pulso.initiatives.problems import MIN_CASES, WINDOW_DAYS, proposed_problems
from pulso.loop.actions import do_open_case, do_set_case_root_cause
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


def _cases(unit: Any, topic: Topic, n: int, days_ago: int = 1) -> None:
    opened = timezone.now() - timedelta(days=days_ago)
    for k in range(n):
        case = do_open_case(title=f"Caso {k}", unit=unit, priority="normal", now=opened)
        do_set_case_root_cause(case, topic)


def test_case_root_causes_count_in_the_ranking(client: Any, org: Org, personas: Personas) -> None:
    waiting, staff, billing, invoices, prices = (
        Topic.objects.create(slug=f"problema-{name.lower()}", name_es=name, rule_es=name.lower())
        for name in ("Colas", "Personal", "Facturación", "Albaranes", "Precios")
    )
    for topic in (waiting, staff):  # the same NPS cost: 20 detractors each out of 60
        for _ in range(20):
            _comment(org.north_store, 0, topic)
    for _ in range(20):
        _comment(org.north_store, 10, None)
    _cases(org.north_store, staff, 2)  # breaks the tie with queues
    _cases(org.north_store, billing, 5)  # never in comments, but the root cause of 5 cases
    _cases(org.north_store, invoices, 7)
    _cases(org.north_store, prices, MIN_CASES - 1)  # too few cases to propose it
    _cases(org.north_store, billing, 9, days_ago=WINDOW_DAYS + 5)  # before the window
    _cases(org.south_store, prices, 6)  # in the south: the company-wide analyst counts them too
    ranked = proposed_problems(personas.analyst)
    assert [p.topic for p in ranked] == [staff, waiting, prices, invoices, billing]
    assert [p.cases for p in ranked] == [2, 0, 4 + 6, 7, 5]
    assert ranked[0].points_at_stake == ranked[1].points_at_stake
    assert ranked[2].points_at_stake is None and ranked[2].mentions == 0
    # The south viewer sees only the south's cases: prices, from 6 cases there.
    assert [(p.topic, p.cases) for p in proposed_problems(personas.viewer)] == [(prices, 6)]
    client.force_login(personas.analyst)
    page = client.get(reverse("initiatives:list")).content.decode()
    assert f"?topic={billing.pk}" in page
    initiative = Initiative.objects.create(title="Facturas claras", problem="…", org_unit=org.north)
    initiative.topics.set([billing])
    detail = client.get(
        reverse("initiatives:detail", args=[initiative.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Facturación (5 cases with it as root cause)" in detail.content.decode()
