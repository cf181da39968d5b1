"""On the demo company, the driver page shows the priority chart of each journey's touchpoints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from pulso.accounts.models import OrgUnit, Role
from pulso.journeys.models import Journey
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """``pulso demo`` once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-serve")
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_demo_driver_page_shows_the_priority_chart(demo: None, client: Client) -> None:
    root = OrgUnit.objects.get(parent__isnull=True)
    analyst = MembershipFactory(user=UserFactory(), unit=root, role=Role.CX_ANALYST).user
    client.force_login(analyst)
    journey = Journey.objects.filter(is_archived=False).first()
    assert journey is not None

    page = client.get("/drivers/", {"journey": journey.slug})

    assert page.status_code == 200
    result = page.context["result"]
    assert result is not None and not result.low_base
    rows = page.context["priority_chart"]["datasets"]["table"]
    touchpoints = set(
        journey.stages.values_list("touchpoints__name", flat=True).exclude(touchpoints=None)
    )
    assert {row["driver"] for row in rows} <= touchpoints
    assert len(rows) >= 2
    assert all(0 <= row["performance"] <= 100 and row["low"] <= row["high"] for row in rows)
    html = page.content.decode()
    assert 'data-chart="chart-priority"' in html
    assert 'id="chart-priority"' in html  # the spec, for the vendored vega-embed
    assert 0 < result.r2 < 1


def test_the_demo_topics_have_an_impact_with_an_interval(demo: None, client: Client) -> None:
    root = OrgUnit.objects.get(parent__isnull=True)
    analyst = MembershipFactory(user=UserFactory(), unit=root, role=Role.CX_ANALYST).user
    client.force_login(analyst)
    page = client.get("/drivers/")
    topics = page.context["result"].topics()
    assert topics
    assert all(t.impact.low <= t.impact.delta <= t.impact.high for t in topics)
    assert page.context["impact_chart"]["datasets"]["table"]
