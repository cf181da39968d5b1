"""Factories for closed-loop tests: surveys and responses (until surveys ship their own)."""

from __future__ import annotations

import factory
from django.utils import timezone

from pulso.surveys.models import Response, Survey, SurveyVersion
from tests.factories import CustomerFactory, TouchpointFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    name = factory.Sequence(lambda n: f"Encuesta {n}")
    touchpoint = factory.SubFactory(TouchpointFactory)
    status = Survey.Status.LIVE


class SurveyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyVersion

    survey = factory.SubFactory(SurveyFactory)
    number = 1
    title_es = "¿Qué tal tu experiencia?"
    published_at = factory.LazyFunction(timezone.now)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    version = factory.SubFactory(SurveyVersionFactory)
    survey = factory.LazyAttribute(lambda o: o.version.survey)
    touchpoint = factory.LazyAttribute(lambda o: o.survey.touchpoint)
    journey = factory.LazyAttribute(lambda o: o.touchpoint.stage.journey)
    customer = factory.SubFactory(CustomerFactory, consent_to_contact=True)
    channel = "email"
    is_complete = True
    nps = 3
    comment = "El técnico no vino el día acordado."
