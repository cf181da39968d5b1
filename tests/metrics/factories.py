"""Factories for metrics tests: surveys on touchpoints and scored responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import factory
from django.utils import timezone

from pulso.surveys.models import Response, Survey, SurveyVersion
from tests.factories import TouchpointFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Encuesta {n}")
    touchpoint = factory.SubFactory(TouchpointFactory)
    status = Survey.Status.LIVE

    @factory.post_generation
    def version(obj: Survey, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.current_version = SurveyVersion.objects.create(
                survey=obj, number=1, title_es=obj.name, published_at=timezone.now()
            )
            obj.save(update_fields=["current_version"])


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    version = factory.LazyAttribute(lambda o: o.survey.current_version)
    touchpoint = factory.LazyAttribute(lambda o: o.survey.touchpoint)
    journey = factory.LazyAttribute(lambda o: o.survey.touchpoint.stage.journey)
    channel = "email"
    is_complete = True
    nps = 9


def local(year: int, month: int, day: int, hour: int = 12) -> datetime:
    """An aware datetime in the project's time zone."""
    return datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())
