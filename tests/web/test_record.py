"""A feedback record's page: the whole answer, masked where it must be, and "open a case"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pulso.loop.models import Case, CaseEvent
from pulso.surveys import actions as survey_actions
from pulso.surveys.models import Channel
from tests.conftest import Org, Personas
from tests.factories import CustomerFactory, FeedbackFactory, MembershipFactory, UserFactory
from tests.surveys.factories import EVERY_KIND, make_survey

pytestmark = pytest.mark.django_db


def test_a_response_page_shows_every_answer_and_opens_one_case(
    client: Client, org: Org, personas: Personas
) -> None:
    customer = CustomerFactory(name="Ana Pérez", email="ana@example.com")
    response = survey_actions.do_record_response(
        make_survey(questions=EVERY_KIND, org_unit=org.north_store),
        {"nps": 1, "why_low": "Cola larga, llamadme al 612 345 678", "csat": "2"},
        channel=Channel.LINK, customer=customer,
    )  # fmt: skip
    url = reverse("web:record", args=[response.feedback_id])
    client.force_login(personas.store_manager)
    page = client.get(url).content.decode()
    assert "612 345 678" in page and "Ana Pérez" in page  # they contact customers there
    assert "Abrir un caso" in page and "No hay ningún caso" in page

    opened = client.post(reverse("web:record_open_case", args=[response.feedback_id]))
    case = Case.objects.get(feedback_id=response.feedback_id)
    assert opened["Location"] == reverse("loop:detail", args=[case.pk])
    assert case.unit == org.north_store and case.customer == customer
    assert case.priority == "high"  # a score of 1
    assert CaseEvent.objects.get(case=case, kind="created").actor == personas.store_manager
    again = client.post(reverse("web:record_open_case", args=[response.feedback_id]))
    assert again.status_code == 302 and Case.objects.count() == 1
    assert "Abrir un caso" not in client.get(url).content.decode()


def test_viewers_see_it_masked_and_cannot_open_cases(client: Client, org: Org) -> None:
    item = FeedbackFactory(org_unit=org.north_store, text="Escribidme a ana@example.com")
    viewer = UserFactory()
    MembershipFactory(user=viewer, unit=org.north, role="viewer")
    client.force_login(viewer)
    page = client.get(reverse("web:record", args=[item.pk])).content.decode()
    assert "ana@example.com" not in page and "Abrir un caso" not in page
    assert client.post(reverse("web:record_open_case", args=[item.pk])).status_code == 403
    outsider = UserFactory()
    MembershipFactory(user=outsider, unit=org.south, role="unit_manager")
    client.force_login(outsider)
    assert client.get(reverse("web:record", args=[item.pk])).status_code == 404
    assert not Case.objects.exists()


def test_explorer_rows_open_the_record(client: Client, org: Org, personas: Personas) -> None:
    item = FeedbackFactory(org_unit=org.north_store, text="Muy bien")
    client.force_login(personas.admin)
    html = client.get(reverse("metrics:explorer")).content.decode()
    assert reverse("web:record", args=[item.pk]) in html
