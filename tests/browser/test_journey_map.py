from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.conftest import log_in, screenshot
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def demo_company(transactional_db: None) -> None:
    call_command("demo", "--no-serve")


def test_log_in_and_open_the_delivery_journey_map(
    page: Any, live_server: Any, demo_company: None
) -> None:
    UserFactory(username="lucia", is_staff=True, is_superuser=True)
    log_in(page, live_server, "lucia", DEFAULT_PASSWORD)
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Recorridos"
    ).click()
    page.get_by_role("link", name="Entrega e instalación").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Mapa del recorrido: Entrega e instalación"
    stages = page.locator(".journey-map .stage h2").all_inner_texts()
    assert stages == ["Programación", "Entrega", "Instalación", "Cierre"]
    moments = page.locator(".touchpoint.moment-of-truth h3").all_inner_texts()
    assert moments == ["Entrega a domicilio", "Instalación del electrodoméstico"]
    path = screenshot(page, "journey-map")
    assert path.stat().st_size > 10_000


def test_analyst_adds_a_touchpoint_from_the_map(
    page: Any, live_server: Any, demo_company: None
) -> None:
    UserFactory(username="lucia", is_staff=True, is_superuser=True)
    log_in(page, live_server, "lucia", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/journeys/compra-online/")
    page.locator(".stage", has_text="Seguimiento").get_by_role(
        "link", name="+ Punto de contacto"
    ).click()
    page.get_by_label("Nombre").fill("Valoración del pedido")
    page.get_by_label("Canal").select_option("email")
    page.get_by_label("Momento de la verdad").check()
    page.get_by_role("button", name="Guardar").click()
    card = page.locator(".stage", has_text="Seguimiento").locator(".touchpoint.moment-of-truth")
    assert card.get_by_role("heading").inner_text() == "Valoración del pedido"
    assert "Punto de contacto añadido." in page.locator(".messages").inner_text()
