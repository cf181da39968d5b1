from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from pulso.textanalytics import pipeline_service
from tests.browser.conftest import log_in, screenshot
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def demo_company(transactional_db: None) -> None:
    pipeline_service.reset()
    call_command("demo", "--no-serve")


def test_models_page_and_themes_after_the_demo(
    page: Any, live_server: Any, demo_company: None
) -> None:
    UserFactory(username="lucia", is_staff=True, is_superuser=True)
    log_in(page, live_server, "lucia", DEFAULT_PASSWORD)
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Análisis de texto"
    ).click()
    page.get_by_role("link", name="Modelos de sentimiento").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Modelos de sentimiento"
    spanish = page.locator("tr.backend-es")
    assert "Modelo entrenado con vuestros comentarios valorados" in spanish.inner_text()
    accuracy = spanish.locator(".accuracy").inner_text()
    assert accuracy.endswith("%") and 50 <= int(accuracy.rstrip(" %")) <= 100
    assert page.get_by_role("button", name="Reentrenar ahora").is_visible()
    screenshot(page, "text-analytics-models")

    page.get_by_role("link", name="Temas emergentes").click()
    rows = page.locator("table.themes tbody tr")
    assert rows.count() >= 1
    rows.first.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tema emergente:")
    page.wait_for_selector("[data-spec='theme-trend'] svg")
    path = screenshot(page, "text-analytics-theme")
    assert path.stat().st_size > 10_000
