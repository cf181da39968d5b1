"""Anonymous surveys: no link to a customer, an invitation or its token survives a response."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pulso.feedback.models import Feedback
from pulso.surveys import actions
from pulso.surveys.models import Channel, Invitation, Response, Survey
from tests.conftest import Org, Personas
from tests.factories import CustomerFactory, TouchpointFactory
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def anonymous_survey() -> Survey:
    survey = make_survey("nps")
    survey.anonymous = True
    survey.save(update_fields=["anonymous"])
    return survey


def test_personal_invitation_answer_keeps_no_link_to_the_customer(client: Client, org: Org) -> None:
    survey = anonymous_survey()
    customer = CustomerFactory(segment="Premium")
    invitation = Invitation.objects.create(
        survey=survey, customer=customer, org_unit=org.north_store, channel=Channel.EMAIL,
        status=Invitation.Status.SENT,
    )  # fmt: skip
    url = reverse("public:invitation", args=[invitation.token])
    page = client.get(url).content.decode()
    assert "Esta encuesta es anónima" in page
    client.post(url, {"page": "0", "nps": "3"})
    partial = Response.objects.get()
    assert partial.invitation == invitation  # kept only while the respondent is still answering
    assert client.post(url, {"page": "1", "detractor_comment": "Cola larga"}).status_code == 302

    response = Response.objects.get()
    assert response.is_complete and response.nps == 3 and response.comment == "Cola larga"
    assert response.customer_id is None and response.invitation_id is None
    assert response.segment == "" and response.org_unit == org.north_store
    record = Feedback.objects.get(pk=response.feedback_id)
    assert record.customer_id is None and record.text == "Cola larga"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ANSWERED
    assert invitation.answered_at is None  # no time to match against the response
    assert client.post(url, {"page": "0", "nps": "10"}).status_code == 200
    assert Response.objects.count() == 1


def test_a_customer_passed_by_an_api_client_or_import_is_dropped() -> None:
    survey = anonymous_survey()
    response = actions.do_record_response(
        survey, {"nps": 9}, channel=Channel.LINK, customer=CustomerFactory(), segment="Profesional"
    )
    assert response.customer_id is None
    assert response.segment == "Profesional"  # given explicitly, not read from the customer
    assert Feedback.objects.get(pk=response.feedback_id).customer_id is None


def test_a_survey_that_is_not_anonymous_keeps_the_customer() -> None:
    customer = CustomerFactory()
    response = actions.do_record_response(
        make_survey("nps"), {"nps": 9}, channel=Channel.LINK, customer=customer
    )
    assert response.customer == customer
    assert Feedback.objects.get(pk=response.feedback_id).customer == customer


def test_the_create_form_makes_an_anonymous_survey(client: Client, personas: Personas) -> None:
    client.force_login(personas.analyst)
    touchpoint = TouchpointFactory()
    created = client.post(
        reverse("surveys:create"),
        {
            "name": "Clima laboral",
            "touchpoint": touchpoint.pk,
            "template": "enps",
            "anonymous": "on",
        },
    )
    assert created.status_code == 302
    assert Survey.objects.get(name="Clima laboral").anonymous
