"""The service blueprint of a journey: lanes edited by CX analysts, shown with each touchpoint's
scores, and exported as PDF (whose text, read by pdftotext, holds the stages and touchpoints) and
SVG."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pulso.core.models import AuditEvent
from pulso.journeys.models import Journey
from pulso.metrics.jobs import refresh_pending
from tests.conftest import Org, Personas
from tests.factories import JourneyFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(org: Org) -> Journey:
    """A journey of two stages; its home delivery has a blueprint and 4 answers (NPS 25)."""
    journey = JourneyFactory(name="Entrega e instalación", slug="entrega")
    scheduling = StageFactory(journey=journey, name="Programación", position=0)
    delivering = StageFactory(journey=journey, name="Entrega", position=1)
    TouchpointFactory(stage=scheduling, name="Programación de la entrega", position=0)
    home = TouchpointFactory(
        stage=delivering,
        name="Entrega a domicilio",
        position=0,
        owner_unit=org.contact_centre,
        customer_action="Recibe el producto en casa.",
        frontstage="Los repartidores suben el aparato y lo colocan.",
        backstage="El almacén prepara la carga la víspera.",
        support_processes="Subcontratación de repartos.",
        systems="App de reparto",
        responsible="Jefe de logística",
        standards="Llegada dentro de la franja de 2 horas.",
    )
    survey = SurveyFactory(touchpoint=home)
    now = timezone.now()
    for score in (10, 9, 8, 3):
        ResponseFactory(survey=survey, nps=score, org_unit=org.north_store, submitted_at=now)
    refresh_pending()
    return journey


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plano.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_the_blueprint_page_shows_lanes_and_scores(
    client: Any, personas: Personas, delivery: Journey
) -> None:
    client.force_login(personas.analyst)
    response = client.get(reverse("design:blueprint", args=["entrega"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plano de servicio: Entrega e instalación" in html
    for text in ("Programación", "Entrega a domicilio", "Acción del cliente", "Jefe de logística"):
        assert text in html
    assert "El almacén prepara la carga la víspera." in html
    assert "NPS 25" in html and "n = 4" in html
    assert "Sin respuestas" in html  # the scheduling touchpoint has none


def test_scores_on_the_blueprint_are_those_of_the_units_the_reader_may_see(
    client: Any, personas: Personas, delivery: Journey
) -> None:
    client.force_login(personas.viewer)  # the south region: the answers are in the north
    html = client.get(reverse("design:blueprint", args=["entrega"])).content.decode()
    assert "Entrega a domicilio" in html and "NPS 25" not in html


def test_the_pdf_export_holds_stages_touchpoints_and_lanes(
    client: Any, personas: Personas, delivery: Journey, tmp_path: Path
) -> None:
    client.force_login(personas.analyst)
    response = client.get(reverse("design:blueprint_pdf", args=["entrega"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "plano-de-servicio-entrega-e-instalacion.pdf" in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    for name in ("Programación", "Entrega", "Programación de la entrega", "Entrega a domicilio"):
        assert name in text
    assert "Plano de servicio: Entrega e instalación" in text
    assert "Acción del cliente" in text and "Recibe el producto en casa." in text
    assert "NPS 25" in text


def test_the_svg_export_is_an_svg_with_the_touchpoints(
    client: Any, personas: Personas, delivery: Journey
) -> None:
    client.force_login(personas.analyst)
    response = client.get(reverse("design:blueprint_svg", args=["entrega"]))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<svg") and "Entrega a domicilio" in svg


def test_an_analyst_edits_the_lanes_of_a_touchpoint(
    client: Any, personas: Personas, delivery: Journey
) -> None:
    touchpoint = delivery.stages.get(name="Programación").touchpoints.get()
    url = reverse("design:blueprint_edit", args=[touchpoint.pk])
    client.force_login(personas.analyst)
    assert "Procesos de soporte" in client.get(url).content.decode()

    response = client.post(url, {"customer_action": "Elige día y franja.", "systems": "CRM"})

    assert response.status_code == 302
    touchpoint.refresh_from_db()
    assert (touchpoint.customer_action, touchpoint.systems) == ("Elige día y franja.", "CRM")
    assert AuditEvent.objects.filter(verb="touchpoint.blueprint_changed").count() == 1


def test_a_too_long_role_is_a_form_error_not_a_crash(
    client: Any, personas: Personas, delivery: Journey
) -> None:
    touchpoint = delivery.stages.get(name="Programación").touchpoints.get()
    client.force_login(personas.analyst)
    url = reverse("design:blueprint_edit", args=[touchpoint.pk])
    response = client.post(url, {"responsible": "x" * 200})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()


def test_an_unknown_journey_is_not_found(client: Any, personas: Personas) -> None:
    client.force_login(personas.analyst)
    assert client.get(reverse("design:blueprint_pdf", args=["no-existe"])).status_code == 404
