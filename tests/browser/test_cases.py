"""Browser: log in, open a case and take it from new to closed through the case page."""

from __future__ import annotations

from typing import Any

from pulso.accounts.models import OrgUnit, Role
from pulso.loop.actions import do_open_case
from tests.browser.conftest import log_in, screenshot
from tests.factories import MembershipFactory, OrgUnitFactory, UserFactory


def change_status(page: Any, status: str, resolution: str = "") -> None:
    page.get_by_label("Nuevo estado").select_option(label=status)
    if resolution:
        page.get_by_label("Resolución").fill(resolution)
    page.get_by_role("button", name="Cambiar estado").click()
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == status


def test_a_store_manager_takes_a_case_from_new_to_closed(
    page: Any, live_server: Any, transactional_db: None
) -> None:
    company = OrgUnitFactory(name="ElectroHogar", code="eh", kind=OrgUnit.Kind.COMPANY)
    store = OrgUnitFactory(name="Tienda Bilbao", code="bilbao", parent=company)
    manager = MembershipFactory(
        user=UserFactory(username="lucia", first_name="Lucía"), unit=store, role=Role.UNIT_MANAGER
    ).user
    case = do_open_case(
        title="NPS 2 en Entrega a domicilio: el pedido llegó roto",
        unit=store, priority="high", owner=manager,
    )  # fmt: skip

    log_in(page, live_server, "lucia")
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Casos"
    ).click()
    page.get_by_role("link", name="Mis casos").click()
    page.get_by_role("link", name=case.title).click()
    assert page.locator("#case-status").inner_text() == "Nuevo"

    change_status(page, "En curso")
    page.get_by_label("Nota").fill("Llamo al cliente esta tarde.")
    page.get_by_role("button", name="Añadir nota").click()
    change_status(page, "Cliente contactado")
    change_status(page, "Resuelto", resolution="Producto sustituido y envío reembolsado.")
    change_status(page, "Cerrado")

    timeline = page.locator(".timeline").inner_text()
    assert "Llamo al cliente esta tarde." in timeline
    assert timeline.count("Cambio de estado") == 4
    assert "Resuelto → Cerrado" in timeline
    assert "Producto sustituido" in page.locator(".case-facts").inner_text()
    path = screenshot(page, "case-closed")
    assert path.stat().st_size > 10_000
