"""Browser, on a phone (390×844): a mystery shopper records a visit with a photo and a failed
critical standard, on a connection that drops; the case appears for the store and the visit
shows in the emitted-versus-perceived chart."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pulso.accounts.models import OrgUnit, Role
from pulso.audits.models import Visit
from pulso.loop.models import Case
from tests.audits.factories import make_checklist, plan, tiny_png
from tests.browser.conftest import log_in, screenshot
from tests.factories import FeedbackFactory, MembershipFactory, OrgUnitFactory, UserFactory

PHONE = {"width": 390, "height": 844}
CRITICAL = "Saludo en menos de 30 segundos"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="es-ES", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def store_visit(transactional_db: None, settings: Any, tmp_path: Any) -> Visit:
    """A store with its manager, a mystery shopper of the region with a planned visit, and
    customers' answers about the visited touchpoint."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    company = OrgUnitFactory(name="ElectroHogar", code="eh", kind=OrgUnit.Kind.COMPANY)
    region = OrgUnitFactory(name="Norte", code="norte", kind=OrgUnit.Kind.REGION, parent=company)
    store = OrgUnitFactory(name="Tienda Bilbao", code="bilbao", parent=region)
    MembershipFactory(user=UserFactory(username="lucia"), unit=store, role=Role.UNIT_MANAGER)
    shopper = MembershipFactory(
        user=UserFactory(username="marta", first_name="Marta"), unit=region, role=Role.AGENT
    ).user
    checklist = make_checklist(name="Cliente misterioso en tienda")
    for csat in (5, 4, 4, 2):
        FeedbackFactory(
            source="survey", org_unit=store, touchpoint=checklist.touchpoint, csat=csat,
            received_at=timezone.now(),
        )  # fmt: skip
    return plan(checklist, store, auditor=shopper, kind=Visit.Kind.MYSTERY_SHOPPING)


def standard(page: Any, text: str) -> Any:
    return page.get_by_role("group", name=re.compile(f"^{text}"))


def test_a_mystery_shopper_records_a_visit_on_a_phone(
    phone: Any, live_server: Any, store_visit: Visit
) -> None:
    page = phone
    log_in(page, live_server, "marta")
    page.get_by_text("Menú").click()
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Auditorías"
    ).click()
    page.get_by_role("link", name="Mis visitas").click()
    page.get_by_role("link", name="Registrar").click()
    assert page.get_by_role("heading", name="Registrar visita").is_visible()

    # Nothing typed is lost: the answers survive a reload of the page.
    standard(page, CRITICAL).get_by_label("No").check()
    standard(page, CRITICAL).get_by_label("Comentario").fill("Nadie me saludó en 5 minutos.")
    standard(page, "Amabilidad del vendedor").get_by_label("4").check()
    page.get_by_label("Comentario general").fill("Tienda llena, un solo vendedor.")
    expect(page.locator("#draft-status")).to_contain_text("servidor")
    assert (
        Visit.objects.get(pk=store_visit.pk).draft["comment"] == "Tienda llena, un solo vendedor."
    )
    token = page.locator("input[name=token]").input_value()
    page.reload()
    assert standard(page, CRITICAL).get_by_label("No").is_checked()
    assert (
        page.get_by_label("Comentario general").input_value() == "Tienda llena, un solo vendedor."
    )
    assert page.locator("input[name=token]").input_value() == token

    shop_window = standard(page, "Escaparate limpio")
    shop_window.get_by_label("Sí").check()
    shop_window.get_by_label("Foto").set_input_files(
        {"name": "escaparate.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    screenshot(page, "audit-visit-form-phone")
    # The connection drops as the visit is sent: the page stays, with everything on it.
    page.context.set_offline(True)
    page.get_by_role("button", name="Registrar visita").click()
    expect(page.locator("#draft-status")).to_contain_text("Sin conexión")
    assert not Visit.objects.get(pk=store_visit.pk).is_recorded
    page.context.set_offline(False)
    page.get_by_role("button", name="Registrar visita").click()
    page.wait_for_url(f"{live_server.url}/audits/visits/{store_visit.pk}/")
    assert "Visita registrada." in page.locator(".messages").inner_text()
    assert page.locator("#visit-score").inner_text() == "43,8/100"
    assert page.get_by_role("img", name=re.compile("Foto de")).count() == 1
    screenshot(page, "audit-visit-recorded-phone")

    visit = Visit.objects.get(pk=store_visit.pk)
    assert visit.critical_failed and visit.submission_token == token
    case = Case.objects.get(feedback=visit.feedback)
    assert case.unit == visit.unit and case.owner.username == "lucia"

    page.get_by_text("Menú").click()
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Casos"
    ).click()
    title = f"Estándar crítico incumplido en Tienda Bilbao: {CRITICAL}"
    expect(page.get_by_role("link", name=title)).to_be_visible()

    page.get_by_text("Menú").click()
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Auditorías"
    ).click()
    page.wait_for_selector("#gap-chart svg")
    rows = json.loads(page.locator("#gap-spec").text_content())["datasets"]["table"]
    assert rows == [
        {"unit": "Tienda Bilbao", "touchpoint": visit.checklist.touchpoint.name,
         "emitted": 43.8, "perceived": 68.8, "gap": -25.0, "visits": 1, "responses": 4,
         "base": "Base baja"},
    ]  # fmt: skip
    assert page.locator("#gap-chart svg .mark-symbol.role-mark path").count() == 1
    screenshot(page, "audit-emitted-vs-perceived-phone")
