"""Customer pages: list and search, one customer's history scoped by org unit, file imports."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pulso.customers.models import Customer, CustomerImport
from tests.conftest import Org, Personas
from tests.distribution.factories import InvitationFactory, make_live_survey, make_response
from tests.factories import CustomerFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_list_is_searchable_and_paginated(client: Client, personas: Personas) -> None:
    for n in range(30):
        CustomerFactory(name=f"Cliente {n:02d}", segment="premium" if n % 2 else "basic")
    CustomerFactory(name="Lucía Gómez", email="lucia@example.com")
    login(client, personas.store_manager)
    page = client.get(reverse("customers:list")).content.decode()
    assert "31 clientes" in page and "Página 1 de 2" in page
    found = client.get(reverse("customers:list"), {"q": "lucia@"}).content.decode()
    assert "Lucía Gómez" in found and "Cliente 01" not in found
    # A viewer cannot find a customer by what the list hides from them.
    hidden = login(Client(), personas.viewer).get(reverse("customers:list"), {"q": "lucia@"})
    assert "Ningún cliente coincide con la búsqueda." in hidden.content.decode()
    premium = client.get(reverse("customers:list"), {"segment": "premium"}).content.decode()
    assert "15 clientes" in premium
    nothing = client.get(reverse("customers:list"), {"q": "zzz"}).content.decode()
    assert "Ningún cliente coincide con la búsqueda." in nothing


def test_people_outside_the_organisation_see_no_customers(
    client: Client, personas: Personas
) -> None:
    customer = CustomerFactory()
    assert client.get(reverse("customers:list")).status_code == 302  # anonymous → login
    login(client, personas.outsider)
    assert client.get(reverse("customers:list")).status_code == 403
    assert client.get(reverse("customers:detail", args=[customer.pk])).status_code == 403


@pytest.fixture
def history(org: Org) -> Customer:
    """One customer with a response and feedback in the north store and in the south store."""
    customer = CustomerFactory(name="Marta Ruiz")
    north = make_live_survey(org.north_store, name="Encuesta Bilbao")
    south = make_live_survey(org.south_store, name="Encuesta Sevilla")
    make_response(north, customer, nps=3, comment="La cola era eterna en Bilbao")
    make_response(south, customer, nps=10, csat=5, comment="Todo perfecto en Sevilla")
    FeedbackFactory(customer=customer, org_unit=org.north_store, text="Reseña del norte")
    FeedbackFactory(customer=customer, org_unit=org.south_store, text="Reseña del sur")
    InvitationFactory(customer=customer, survey=north)
    return customer


@pytest.mark.parametrize(
    ("persona", "sees_north", "sees_south"),
    [
        ("admin", True, True),
        ("analyst", True, True),
        ("store_manager", True, False),
        ("viewer", False, True),
        ("agent", False, False),
    ],
)
def test_history_shows_only_what_the_persona_may_see(
    client: Client,
    personas: Personas,
    history: Customer,
    persona: str,
    sees_north: bool,
    sees_south: bool,
) -> None:
    login(client, getattr(personas, persona))
    page = client.get(reverse("customers:detail", args=[history.pk])).content.decode()
    # Her name is shown to people who contact customers; viewers see a hint.
    assert ("Marta Ruiz" in page) is (persona != "viewer")
    assert "M•••" in page or persona != "viewer"
    assert ("La cola era eterna en Bilbao" in page) is sees_north
    assert ("Reseña del norte" in page) is sees_north
    assert ("Encuesta Bilbao" in page) is sees_north  # the invitation
    assert ("Todo perfecto en Sevilla" in page) is sees_south
    assert ("Reseña del sur" in page) is sees_south
    if not (sees_north or sees_south):
        assert "Nada que mostrar todavía" in page


def test_history_shows_scores_newest_first_and_paginates(
    client: Client, personas: Personas, org: Org
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    customer = CustomerFactory()
    survey = make_live_survey(org.north_store)
    now = timezone.now()
    for day in range(30):
        make_response(survey, customer, nps=day % 11, submitted_at=now - timedelta(days=day))
    login(client, personas.analyst)
    url = reverse("customers:detail", args=[customer.pk])
    first = client.get(url).content.decode()
    assert "Página 1 de 2" in first and "NPS 0" in first
    assert first.index("NPS 0") < first.index("NPS 1<")  # today's response comes first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="timeline-item') == 5


def csv_upload(text: str, name: str = "clientes.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("cp1252"), content_type="text/csv")


def test_import_flow_upload_preview_map_and_report(client: Client, personas: Personas) -> None:
    login(client, personas.analyst)
    upload = client.post(
        reverse("customers:import"),
        {"file": csv_upload("Código;Nombre;Móvil\nK1;Iñigo;600111222\nK2;Eva;12\n")},
    )
    stored = CustomerImport.objects.get()
    assert upload.status_code == 302
    review = client.get(upload["Location"]).content.decode()
    assert "Iñigo" in review and "cp1252" in review  # preview of the first rows
    assert "1 clientes nuevos, 0 actualizados, 1 filas rechazadas" in review
    assert "Fila 3: teléfono no válido «12»" in review
    done = client.post(upload["Location"], {"external_id": "0", "name": "1", "phone": "2"})
    assert done.status_code == 302
    result = client.get(done["Location"]).content.decode()
    assert "teléfono no válido «12»" in result
    stored.refresh_from_db()
    assert stored.status == "done" and stored.created_count == 1
    assert Customer.objects.get().name == "Iñigo"


def test_import_mapping_errors_are_shown_not_crashing(client: Client, personas: Personas) -> None:
    login(client, personas.analyst)
    upload = client.post(reverse("customers:import"), {"file": csv_upload("a,b\n1,2\n")})
    review = client.get(upload["Location"]).content.decode()
    assert "Elige la columna que contiene el id de cliente." in review
    again = client.post(upload["Location"], {"external_id": "0", "name": "0"})
    assert again.status_code == 400
    assert "Cada columna solo puede usarse para un campo." in again.content.decode()
    assert Customer.objects.count() == 0


def test_import_refuses_unreadable_files_and_non_managers(
    client: Client, personas: Personas
) -> None:
    login(client, personas.analyst)
    bad = client.post(reverse("customers:import"), {"file": csv_upload("", "vacio.csv")})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    login(client, personas.store_manager)
    assert client.get(reverse("customers:import")).status_code == 403
