"""A customer scans the store's QR code with a phone and answers the survey in Spanish."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import segno

from pulso.accounts.actions import do_create_api_token
from pulso.surveys import qr
from pulso.surveys.models import Channel, Response, Survey
from tests.browser.conftest import screenshot
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.surveys.factories import make_survey

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="es-ES", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def survey(transactional_db: None, live_server: Any, settings: Any) -> Survey:
    settings.PULSO_BASE_URL = live_server.url
    return make_survey("nps", name="Tienda · Caja")


def test_answer_through_the_qr_code_on_a_phone(
    phone: Any, browser: Any, live_server: Any, survey: Survey
) -> None:
    url = qr.survey_url(survey)
    assert url == f"{live_server.url}/s/{survey.public_token}/?c=qr"
    assert qr.make_qr(url).matrix == segno.make(url, error="m", micro=False).matrix
    assert url.encode() in qr.qr_svg(url)

    phone.goto(url)
    assert phone.get_by_role("heading", level=1).inner_text() == "Tu opinión nos importa"
    group = phone.get_by_role("group", name="¿Con qué probabilidad nos recomendarías")
    assert group.get_by_role("radio").count() == 11
    # Keyboard only: focus the scale and move along it with the arrow keys.
    group.get_by_role("radio", name="0", exact=True).focus()
    for _ in range(9):
        phone.keyboard.press("ArrowRight")
    assert group.get_by_role("radio", name="9", exact=True).is_checked()
    phone.get_by_role("button", name="Siguiente").click()

    follow_up = phone.get_by_label("¿Qué es lo que más te gustó?")
    follow_up.fill("La dependienta me ayudó a elegir la lavadora.")
    assert phone.get_by_text("¿Qué deberíamos mejorar?").count() == 0
    screenshot(phone, "survey-public-follow-up")
    phone.get_by_role("button", name="Enviar").click()

    assert phone.get_by_role("heading", level=1).inner_text() == "¡Gracias!"
    path = screenshot(phone, "survey-public-thanks")
    assert path.stat().st_size > 5_000
    response = Response.objects.get()
    assert response.is_complete and response.channel == Channel.QR
    assert response.nps == 9 and response.language == "es"
    assert response.comment == "La dependienta me ayudó a elegir la lavadora."

    lucia = UserFactory(username="lucia", is_staff=True, is_superuser=True)
    _token, raw = do_create_api_token(lucia, "integración")
    api = phone.request.get(
        f"{live_server.url}/api/responses/?survey={survey.pk}",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert api.status == 200
    [item] = api.json()["items"]
    assert item["id"] == response.pk and item["nps"] == 9 and item["channel"] == "qr"
    assert item["answers"]["promoter_comment"] == response.comment

    admin = browser.new_page(locale="es-ES")
    admin.goto(f"{live_server.url}/accounts/login/?next=/admin/surveys/response/")
    admin.get_by_label("Usuario").fill("lucia")
    admin.get_by_label("Contraseña").fill(DEFAULT_PASSWORD)
    admin.get_by_role("button", name="Iniciar sesión").click()
    admin.wait_for_url("**/admin/surveys/response/")
    rows = admin.locator("#result_list tbody tr")
    assert rows.count() == 1 and "Tienda · Caja" in rows.first.inner_text()
    admin.close()


def test_validation_error_is_announced_without_javascript(
    browser: Any, live_server: Any, survey: Survey
) -> None:
    context = browser.new_context(locale="es-ES", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(qr.survey_url(survey))
    page.get_by_role("button", name="Siguiente").click()
    assert "Esta pregunta es obligatoria." in page.get_by_role("alert").first.inner_text()
    page.locator("label[for=q-nps-3]").click()
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_label("¿Qué deberíamos mejorar?").fill("Más cajas abiertas")
    page.get_by_role("button", name="Enviar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "¡Gracias!"
    assert Response.objects.get().comment == "Más cajas abiertas"
    context.close()
