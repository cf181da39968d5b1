"""On the demo company, a CX analyst reads the customer archetypes (with their scores, typical
journey and quotes) and the service blueprint of the delivery journey, and downloads its PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from pulso.design.models import Archetype
from tests.browser.conftest import log_in, screenshot
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def demo_company(transactional_db: None) -> None:
    call_command("demo", "--no-serve")


def test_the_demo_shows_archetypes_and_a_service_blueprint(
    page: Any, live_server: Any, demo_company: None, tmp_path: Path
) -> None:
    UserFactory(username="lucia", is_staff=True, is_superuser=True)
    log_in(page, live_server, "lucia", DEFAULT_PASSWORD)

    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Arquetipos"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Arquetipos de cliente"
    cards = page.locator("article.archetype")
    saved = Archetype.objects.count()
    assert saved >= 2 and cards.count() == saved
    first = cards.first
    assert first.get_by_role("heading", level=2).inner_text() == "Arquetipo 1"
    assert first.get_by_role("heading", name="Lo que los distingue").is_visible()
    assert first.locator(".profile li").count() >= 1
    assert first.locator(".typical-journey li").count() >= 1
    assert first.locator("blockquote.quote").count() >= 1
    assert "NPS" in first.locator(".archetype-scores").inner_text()
    screenshot(page, "archetypes")

    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Recorridos"
    ).click()
    page.get_by_role("link", name="Entrega e instalación").click()
    page.get_by_role("link", name="Plano de servicio").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Plano de servicio: Entrega e instalación"
    table = page.get_by_role("table", name="Plano de servicio de Entrega e instalación")
    stages = table.locator("thead th.bp-stage").all_inner_texts()
    assert stages == ["Programación", "Entrega", "Instalación", "Cierre"]
    assert "Entrega a domicilio" in table.locator("thead").inner_text()
    backstage = table.locator("tr.bp-backstage").inner_text()
    assert "El almacén prepara la carga la víspera." in backstage
    assert "NPS" in table.locator("tr.bp-scores").inner_text()
    screenshot(page, "service-blueprint")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar PDF").click()
    pdf = tmp_path / "plano.pdf"
    download_info.value.save_as(str(pdf))
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    text = " ".join(done.stdout.decode().split())
    for name in (
        "Programación",
        "Instalación",
        "Cierre",
        "Entrega a domicilio",
        "Aviso de llegada",
    ):
        assert name in text
