"""Dashboards in a real browser: charts render (SVG inside the vega-embed container) offline."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Journey
from pulso.metrics.aggregates import rebuild_all
from pulso.surveys.models import Response, Survey, SurveyVersion
from tests.browser.conftest import log_in, screenshot
from tests.factories import UserFactory


@pytest.fixture
def demo_company(transactional_db: None) -> None:
    call_command("demo", "--no-serve")
    if not Response.objects.exists():  # the demo's responses step is not there yet
        _responses(random.Random(3))
    rebuild_all()


def _responses(rng: random.Random) -> None:
    stores = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE))
    now = timezone.now()
    rows = []
    for journey in Journey.objects.prefetch_related("stages__touchpoints"):
        for stage in journey.stages.all():
            for tp in stage.touchpoints.all():
                survey = Survey.objects.create(name=tp.name, touchpoint=tp, status="live")
                version = SurveyVersion.objects.create(survey=survey, number=1, title_es=tp.name)
                rows += [
                    Response(survey=survey, version=version, touchpoint=tp, journey=journey,
                             org_unit=rng.choice(stores), channel="email", is_complete=True,
                             submitted_at=now - timedelta(days=rng.randrange(360)),
                             nps=rng.choice([0, 3, 6, 7, 8, 9, 9, 10, 10]), csat=rng.randint(1, 5),
                             comment=rng.choice(["", "La instalación fue rápida", "Llegó tarde"]))
                    for _ in range(40)
                ]  # fmt: skip
    Response.objects.bulk_record(rows)


def assert_charts_rendered(page: Any, count: int) -> None:
    page.wait_for_selector(".vega-embed svg")
    charts = page.locator(".chart-target.vega-embed")
    assert charts.count() == count
    for index in range(count):
        assert charts.nth(index).locator("svg, canvas").count() >= 1
    # Neither vega-embed nor its tooltip injected a <style> (the policy would refuse it).
    assert page.evaluate("() => [...document.querySelectorAll('style')].every(s => s.nonce)")


def test_dashboards_render_charts(page: Any, live_server: Any, demo_company: None) -> None:
    UserFactory(username="lucia", is_staff=True, is_superuser=True)
    log_in(page, live_server, "lucia")
    external: list[str] = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/dashboards/")
    assert page.get_by_role("heading", level=1).inner_text() == "Resumen de experiencia de cliente"
    assert_charts_rendered(page, 2)
    assert "Evolución del NPS" in page.content() or page.locator("svg text").count() > 0
    screenshot(page, "dashboard-overview")

    journey = Journey.objects.order_by("position").first()
    assert journey is not None
    page.goto(f"{live_server.url}/dashboards/journeys/{journey.slug}/")
    assert_charts_rendered(page, 2)
    assert page.locator(".touchpoint.score-card").count() > 0
    screenshot(page, "dashboard-journey")

    page.goto(f"{live_server.url}/dashboards/units/electrohogar/")
    assert_charts_rendered(page, 2)
    screenshot(page, "dashboard-unit")

    page.goto(f"{live_server.url}/dashboards/explorer/?q=instalacion")
    assert page.locator("table.explorer tbody tr").count() > 0
    page.get_by_label("Grupo de puntuación").select_option("detractor")
    page.wait_for_url("**group=detractor**")
    assert "NPS 9" not in page.locator("table.explorer").inner_text()
    screenshot(page, "dashboard-explorer")
    assert external == []  # charts and scripts need no internet
