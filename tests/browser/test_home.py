"""The home by role in a real browser at phone width, on the demo company."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from pulso.accounts.models import OrgUnit, Role
from pulso.metrics.aggregates import rebuild_all
from tests.browser.conftest import log_in, screenshot
from tests.factories import MembershipFactory, UserFactory

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("demo", "--no-serve")
    rebuild_all()


def _phone_page(browser: Any) -> Any:
    context = browser.new_context(locale="es-ES", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _fits_the_screen(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px"


def test_home_of_a_cx_lead_and_of_a_store_manager_at_phone_width(
    browser: Any, live_server: Any, demo: None
) -> None:
    company = OrgUnit.objects.get(parent__isnull=True)
    store = OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).order_by("path").first()
    assert store is not None
    lead = UserFactory(username="lider.cx")
    MembershipFactory(user=lead, unit=company, role=Role.CX_ANALYST)
    manager = UserFactory(username="encargada")
    MembershipFactory(user=manager, unit=store, role=Role.UNIT_MANAGER)

    page = _phone_page(browser)
    log_in(page, live_server, "lider.cx")
    assert page.get_by_role("heading", name="La empresa hoy").is_visible()
    assert page.get_by_role("heading", name="Salud de los datos").is_visible()
    page.wait_for_selector("[data-chart='chart-company-trend'] svg")
    _fits_the_screen(page)
    screenshot(page, "home-cx-lead-390")
    page.context.close()

    page = _phone_page(browser)
    log_in(page, live_server, "encargada")
    assert page.get_by_role("heading", name=store.name).is_visible()
    assert page.get_by_role("heading", name="Frente a tus pares").is_visible()
    assert page.locator("[data-peers] tr.own").count() == 1
    _fits_the_screen(page)
    screenshot(page, "home-store-manager-390")
    page.context.close()
