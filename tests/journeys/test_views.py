from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pulso.journeys.models import Journey, Stage, Touchpoint
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def login(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_journey_map_shows_stages_touchpoints_and_moments_of_truth(
    client: Client, personas: Personas
) -> None:
    stage = StageFactory(name="Entrega", journey__name="Entrega e instalación", journey__slug="eei")
    TouchpointFactory(stage=stage, name="Entrega a domicilio", is_moment_of_truth=True)
    TouchpointFactory(stage=stage, name="Aviso por SMS", channel="sms")
    response = login(client, personas.viewer).get(reverse("journeys:map", args=["eei"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mapa del recorrido: Entrega e instalación" in body
    assert body.count('class="touchpoint moment-of-truth"') == 1
    assert "Aviso por SMS" in body and "SMS" in body


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("journeys:list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_empty_state_invites_to_create_a_journey(client: Client, personas: Personas) -> None:
    body = login(client, personas.analyst).get(reverse("journeys:list")).content.decode()
    assert "Crear el primer recorrido" in body


def test_analyst_creates_journey_stage_and_touchpoint(
    client: Client, personas: Personas, org: Org
) -> None:
    login(client, personas.analyst)
    response = client.post(reverse("journeys:create"), {"name": "Compra online"})
    journey = Journey.objects.get(name="Compra online")
    assert response.status_code == 302 and response["Location"] == journey.get_absolute_url()
    client.post(reverse("journeys:stage_create", args=[journey.slug]), {"name": "Pago"})
    stage = journey.stages.get()
    client.post(
        reverse("journeys:touchpoint_create", args=[stage.pk]),
        {
            "name": "Checkout",
            "channel": "web",
            "owner_unit": org.company.pk,
            "is_moment_of_truth": "on",
        },
    )
    touchpoint = Touchpoint.objects.get(stage=stage)
    assert touchpoint.is_moment_of_truth and touchpoint.owner_unit == org.company


def test_invalid_form_shows_field_errors_in_spanish(client: Client, personas: Personas) -> None:
    stage = StageFactory()
    login(client, personas.analyst)
    response = client.post(
        reverse("journeys:touchpoint_create", args=[stage.pk]), {"name": "", "channel": "fax"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Este campo es obligatorio." in body
    assert "Escoja una opción válida" in body


def test_invalid_form_in_english_when_chosen(client: Client, personas: Personas) -> None:
    stage = StageFactory()
    login(client, personas.analyst)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("journeys:touchpoint_create", args=[stage.pk]), {})
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("persona", ["store_manager", "agent", "viewer"])
def test_only_editors_change_journeys(client: Client, personas: Personas, persona: str) -> None:
    login(client, getattr(personas, persona))
    response = client.post(reverse("journeys:create"), {"name": "X"})
    assert response.status_code == 403
    assert not Journey.objects.exists()


def test_deleting_a_stage_with_feedback_offers_archiving(
    client: Client, personas: Personas
) -> None:
    touchpoint = TouchpointFactory(name="Instalación")
    FeedbackFactory(touchpoint=touchpoint)
    login(client, personas.analyst)
    url = reverse("journeys:stage_delete", args=[touchpoint.stage.pk])
    response = client.post(url)
    assert response.status_code == 409
    assert "Archivar la etapa" in response.content.decode()
    assert Stage.objects.filter(pk=touchpoint.stage.pk).exists()
    client.post(reverse("journeys:stage_archive", args=[touchpoint.stage.pk]))
    assert Stage.objects.get(pk=touchpoint.stage.pk).is_archived


def test_deleting_an_empty_stage(client: Client, personas: Personas) -> None:
    stage = StageFactory()
    login(client, personas.analyst)
    response = client.post(reverse("journeys:stage_delete", args=[stage.pk]))
    assert response.status_code == 302
    assert not Stage.objects.filter(pk=stage.pk).exists()


def test_admin_refuses_deleting_a_stage_with_feedback(client: Client) -> None:
    from tests.factories import UserFactory

    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    touchpoint = TouchpointFactory()
    FeedbackFactory(touchpoint=touchpoint)
    login(client, superuser)
    url = reverse("admin:journeys_stage_delete", args=[touchpoint.stage.pk])
    response = client.post(url, {"post": "yes"})
    assert Stage.objects.filter(pk=touchpoint.stage.pk).exists()
    assert "protegidos" in response.content.decode()


def test_unknown_journey_is_404(client: Client, personas: Personas) -> None:
    response = login(client, personas.viewer).get("/journeys/no-existe/")
    assert response.status_code == 404
