"""A small dataset with known numbers: one journey, two touchpoints, responses in two regions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from pulso.metrics.jobs import refresh_pending
from pulso.surveys.models import Survey
from tests.factories import JourneyFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import ResponseFactory, SurveyFactory, local


@dataclass
class Data:
    journey: Any
    delivery: Any
    install: Any
    survey: Any
    install_survey: Any
    employee_survey: Any


NOW = date(2025, 6, 30)


@pytest.fixture
def data(org: Any) -> Data:
    journey = JourneyFactory(name="Entrega e instalación", slug="entrega")
    stage = StageFactory(journey=journey, name="Entrega")
    delivery = TouchpointFactory(stage=stage, name="Entrega a domicilio", is_moment_of_truth=True)
    install = TouchpointFactory(
        stage=StageFactory(journey=journey, name="Instalación"), name="Instalación"
    )
    survey = SurveyFactory(touchpoint=delivery)
    install_survey = SurveyFactory(touchpoint=install)
    employee = SurveyFactory(touchpoint=delivery, audience=Survey.Audience.EMPLOYEE)
    # June 2025, north store: 6 promoters, 2 passives, 2 detractors -> NPS 40 (n=10)
    for score in [10, 10, 9, 9, 9, 9, 8, 7, 3, 0]:
        ResponseFactory(
            survey=survey,
            nps=score,
            csat=5 if score >= 9 else 2,
            org_unit=org.north_store,
            submitted_at=local(2025, 6, 10),
            segment="Premium",
        )
    # June 2025, south store: 1 promoter, 3 detractors -> NPS -50 (n=4)
    for score in [10, 6, 5, 2]:
        ResponseFactory(
            survey=survey,
            nps=score,
            org_unit=org.south_store,
            submitted_at=local(2025, 6, 12),
            channel="sms",
            comment="La instalación fue un desastre" if score == 2 else "",
        )
    # May 2025, north store: 2 detractors -> previous period for the north
    for score in [1, 2]:
        ResponseFactory(
            survey=survey, nps=score, org_unit=org.north_store, submitted_at=local(2025, 5, 20)
        )
    ResponseFactory(
        survey=install_survey,
        nps=10,
        ces=6,
        org_unit=org.north_store,
        submitted_at=local(2025, 6, 15),
        comment="Instalaron la lavadora rápido",
    )
    for score in [9, 10, 2]:
        ResponseFactory(
            survey=employee, nps=score, org_unit=org.north, submitted_at=local(2025, 6, 3)
        )
    refresh_pending()  # what the worker's metrics job does; dashboards only read
    return Data(journey, delivery, install, survey, install_survey, employee)
