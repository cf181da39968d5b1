"""Fixtures of the closed-loop tests: a touchpoint owned by the north store, its managers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from pulso.accounts.models import Role
from pulso.journeys.models import Touchpoint
from tests.conftest import Org, Personas
from tests.factories import MembershipFactory, TouchpointFactory, UserFactory


@dataclass
class Loop:
    touchpoint: Touchpoint
    store_manager: Any
    region_manager: Any
    company_manager: Any


@pytest.fixture
def loop(org: Org, personas: Personas) -> Loop:
    """``personas.store_manager`` manages the north store; the north region and the company
    have their own managers, so escalation has two levels to climb."""
    region_manager = MembershipFactory(
        user=UserFactory(username="region"), unit=org.north, role=Role.UNIT_MANAGER
    ).user
    company_manager = MembershipFactory(
        user=UserFactory(username="ceo"), unit=org.company, role=Role.UNIT_MANAGER
    ).user
    touchpoint = TouchpointFactory(name="Entrega a domicilio", owner_unit=org.north_store)
    return Loop(touchpoint, personas.store_manager, region_manager, company_manager)
