"""A store manager reads the summary of last month's comments: sentences, counts and themes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.feedback.models import Feedback
from pulso.textanalytics import actions, pipeline_service
from tests.browser.conftest import log_in, screenshot
from tests.factories import UserFactory

STORE_COMMENTS = [
    "El pedido llegó con una semana de retraso.",
    "Pésimo, el pedido llegó tarde otra vez.",
    "El paquete llegó con retraso y nadie avisó.",
    "La dependienta fue muy amable, pero el pedido llegó tarde.",
    "El personal muy amable y atento.",
    "Excelente trato del personal, muy amable.",
]


@pytest.fixture
def store(transactional_db: None) -> OrgUnit:
    pipeline_service.reset()
    actions.do_load_default_taxonomy()
    company = OrgUnit.objects.create(name="Acme", code="acme", kind=OrgUnit.Kind.COMPANY)
    bilbao = OrgUnit.objects.create(name="Tienda Bilbao", code="bilbao", parent=company)
    sevilla = OrgUnit.objects.create(name="Tienda Sevilla", code="sevilla", parent=company)
    recent, old = timezone.now() - timedelta(days=10), timezone.now() - timedelta(days=70)

    def item(text: str, unit: OrgUnit, when: Any = recent) -> Feedback:
        return Feedback(source="review", text=text, org_unit=unit, received_at=when)

    rows = [item(text, bilbao) for text in STORE_COMMENTS]
    rows.append(item("La tienda estaba sucia.", sevilla))  # another store
    rows.append(item("El técnico fue grosero.", bilbao, old))  # outside the default period
    Feedback.objects.bulk_create(rows)
    actions.do_analyse_pending()
    return bilbao


def test_a_stores_summary_of_last_month(page: Any, live_server: Any, store: OrgUnit) -> None:
    UserFactory(username="marta", is_staff=True, is_superuser=True)
    log_in(page, live_server, "marta")
    page.goto(f"{live_server.url}/text/")
    page.get_by_role("link", name="Resumen de comentarios").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Resumen de comentarios"
    page.get_by_label("Unidad").select_option(label="Tienda Bilbao")
    page.get_by_role("button", name="Resumir").click()

    summary = page.locator("section.summary")
    assert summary.get_by_role("heading", level=2).inner_text() == "6 comentarios analizados"
    themes = summary.locator("li.summary-theme")
    first = themes.first
    assert first.locator(".theme-topic").inner_text() == "Entrega"
    assert "Negativo" in first.inner_text()
    assert first.locator(".theme-count").inner_text() == "4 comentarios"
    sentence = first.locator("blockquote").inner_text()
    assert "llegó" in sentence and sentence.strip("«»") in " ".join(STORE_COMMENTS)
    staff = themes.filter(has_text="Atención del personal")
    assert "Positivo" in staff.inner_text() and "amable" in staff.locator("blockquote").inner_text()
    assert "sucia" not in summary.inner_text()  # another store's comment
    assert "grosero" not in summary.inner_text()  # older than last month
    screenshot(page, "text-analytics-summary")
