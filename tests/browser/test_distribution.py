"""Browser: import a customer file, invite a segment with a preview, see the invitations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulso.surveys.models import Invitation
from tests.browser.conftest import log_in, screenshot
from tests.distribution.factories import make_live_survey
from tests.factories import UserFactory


@pytest.fixture
def analyst(transactional_db: None) -> Any:
    return UserFactory(username="lucia", is_staff=True, is_superuser=True)


def test_import_customers_then_invite_a_segment(
    page: Any, live_server: Any, analyst: Any, tmp_path: Path
) -> None:
    survey = make_live_survey(name="Postventa")
    csv = tmp_path / "clientes.csv"
    csv.write_bytes(
        "id;nombre;correo;segmento;consentimiento\n"
        "B1;Begoña Ruiz;bego@example.com;premium;sí\n"
        "B2;Iker;iker@example.com;premium;no\n"
        "B3;Malo;no-es-correo;premium;sí\n".encode("cp1252")
    )
    log_in(page, live_server, "lucia")
    page.goto(f"{live_server.url}/customers/")
    page.get_by_role("link", name="Importar clientes").first.click()
    page.get_by_label("Fichero de clientes").set_input_files(str(csv))
    page.get_by_role("button", name="Subir y previsualizar").click()
    assert "Begoña Ruiz" in page.locator("table.data").inner_text()
    screenshot(page, "customers-import-review")
    page.get_by_role("button", name="Importar las filas válidas").click()
    assert "correo electrónico no válido «no-es-correo»" in page.content()
    page.goto(f"{live_server.url}/customers/invitations/survey/{survey.pk}/invite/")
    page.get_by_label("Correo electrónico").check()
    page.get_by_label("Segmento", exact=True).select_option("premium")
    page.get_by_role("button", name="Vista previa").click()
    assert "Se invitará a 1 cliente." in page.get_by_role("status").inner_text()
    screenshot(page, "customers-invite-preview")
    page.get_by_role("button", name="Enviar las invitaciones").click()
    assert "Invitaciones de «Postventa»" in page.get_by_role("heading", level=1).inner_text()
    screenshot(page, "customers-invitations")
    assert Invitation.objects.filter(survey=survey).count() == 2
    page.get_by_role("link", name="Begoña Ruiz").click()
    page.wait_for_url("**/customers/*/")
    assert "Historial del cliente" in page.content()
    screenshot(page, "customers-detail")
