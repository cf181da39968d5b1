"""A small dataset with known numbers: faults reported by phone and by chat at the contact
centre, purchases in two stores, all in June 2025."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from pulso.metrics.jobs import refresh_pending
from tests.factories import JourneyFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import ResponseFactory, SurveyFactory, local

JUNE = "from=2025-06-01&to=2025-06-30"


@dataclass
class Interactions:
    phone: Any
    chat: Any
    store: Any


def answers(promoters: int, passives: int, detractors: int) -> list[int]:
    return [10] * promoters + [8] * passives + [3] * detractors


def _respond(touchpoint: Any, unit: Any, scores: list[int]) -> None:
    survey = SurveyFactory(touchpoint=touchpoint)
    for score in scores:
        ResponseFactory(survey=survey, nps=score, org_unit=unit, submitted_at=local(2025, 6, 10))


@pytest.fixture
def interactions(org: Any) -> Interactions:
    stage = StageFactory(journey=JourneyFactory(name="Servicio técnico", slug="servicio"))
    phone = TouchpointFactory(
        stage=stage, name="Aviso de avería", channel="call_centre", interaction_type="incident"
    )
    chat = TouchpointFactory(
        stage=stage, name="Chat de soporte", channel="chat", interaction_type="incident"
    )
    store = TouchpointFactory(
        stage=stage, name="Compra en tienda", channel="store", interaction_type="purchase"
    )
    _respond(phone, org.contact_centre, answers(10, 10, 20))  # NPS -25, n 40
    _respond(chat, org.contact_centre, answers(24, 8, 8))  # NPS 40, n 40
    _respond(store, org.north_store, answers(20, 5, 5))  # NPS 50, n 30
    _respond(store, org.south_store, answers(2, 3, 5))  # NPS -30, n 10
    refresh_pending()
    return Interactions(phone, chat, store)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
