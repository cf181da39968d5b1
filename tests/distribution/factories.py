"""Factories for distribution and customer tests: a live survey, invitations, responses."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.customers.models import Customer
from pulso.surveys.models import Invitation, Response, Survey, SurveyVersion
from tests.factories import CustomerFactory, TouchpointFactory


class ContactableCustomerFactory(CustomerFactory):
    consent_to_contact = True
    phone = factory.Sequence(lambda n: f"+3460000{n:04d}")


def make_live_survey(org_unit: OrgUnit | None = None, **fields: Any) -> Survey:
    survey = Survey.objects.create(
        name=fields.pop("name", "Encuesta tienda"),
        touchpoint=TouchpointFactory(),
        org_unit=org_unit,
        status=Survey.Status.LIVE,
        **fields,
    )
    version = SurveyVersion.objects.create(
        survey=survey,
        number=1,
        title_es="Tu opinión sobre la tienda",
        title_en="Your opinion of the store",
        published_at=timezone.now(),
    )
    survey.current_version = version
    survey.save(update_fields=["current_version"])
    return survey


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.LazyFunction(make_live_survey)
    customer = factory.SubFactory(ContactableCustomerFactory)
    channel = "email"
    org_unit = factory.LazyAttribute(lambda o: o.survey.org_unit)


def make_response(survey: Survey, customer: Customer | None, **fields: Any) -> Response:
    version = survey.current_version
    assert version is not None
    fields.setdefault("org_unit", survey.org_unit)
    return Response.objects.create(
        survey=survey,
        version=version,
        touchpoint=survey.touchpoint,
        journey=survey.touchpoint.stage.journey,
        customer=customer,
        channel="email",
        is_complete=True,
        **fields,
    )
