"""The economics page in a real browser: the retention curves render (SVG from the vendored
vega-embed, nothing fetched from the internet) and the assumptions are written beside them."""

from __future__ import annotations

from typing import Any

import pytest

from pulso.customers.models import CustomerAction
from tests.browser.conftest import log_in, screenshot
from tests.economics.world import DAY, act, customer_answering
from tests.factories import UserFactory

Kind = CustomerAction.Kind


@pytest.fixture
def followed_customers(transactional_db: None) -> None:
    for index in range(20):
        for nps, churn_day in ((10, 200), (8, 120), (3, 40)):
            customer, at = customer_answering(100 + index * 10, nps=nps)
            act(customer, Kind.PURCHASE, at + 20 * DAY, str(50 + nps * 10))
            if index % 2:
                act(customer, Kind.CANCELLATION, at + (churn_day - index) * DAY)


def test_retention_curves_render(page: Any, live_server: Any, followed_customers: None) -> None:
    UserFactory(username="marta", is_staff=True, is_superuser=True)
    log_in(page, live_server, "marta")
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith(live_server.url) and request.url.startswith("http")
            else None
        ),
    )
    page.goto(f"{live_server.url}/economics/?days=90")
    page.wait_for_selector('[data-spec="retention-spec"] svg')
    chart = page.locator('[data-spec="retention-spec"] svg')
    assert chart.locator("path").count() >= 6  # a band and a line per NPS group
    assert "Promotores" in (chart.text_content() or "")  # the legend, in Spanish
    assert page.get_by_role("heading", name="Supuestos").is_visible()
    assert external == []
    screenshot(page, "economics")
