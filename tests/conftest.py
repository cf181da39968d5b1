"""Personas shared by every test: an admin, a CX analyst, a store manager, an agent, an outsider,
in two regions of one company."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from pulso.accounts.models import OrgUnit, Role
from tests.factories import MembershipFactory, OrgUnitFactory, UserFactory


@dataclass
class Org:
    company: OrgUnit
    north: OrgUnit
    south: OrgUnit
    north_store: OrgUnit
    south_store: OrgUnit
    contact_centre: OrgUnit


@dataclass
class Personas:
    admin: Any
    analyst: Any
    store_manager: Any
    agent: Any
    viewer: Any
    outsider: Any


@pytest.fixture
def org(db: None) -> Org:
    company = OrgUnitFactory(name="Acme", code="acme", kind=OrgUnit.Kind.COMPANY)
    north = OrgUnitFactory(name="Norte", code="norte", kind=OrgUnit.Kind.REGION, parent=company)
    south = OrgUnitFactory(name="Sur", code="sur", kind=OrgUnit.Kind.REGION, parent=company)
    return Org(
        company=company,
        north=north,
        south=south,
        north_store=OrgUnitFactory(name="Tienda Bilbao", code="bilbao", parent=north),
        south_store=OrgUnitFactory(name="Tienda Sevilla", code="sevilla", parent=south),
        contact_centre=OrgUnitFactory(
            name="Contact centre", code="cc", kind=OrgUnit.Kind.CONTACT_CENTRE, parent=company
        ),
    )


@pytest.fixture
def personas(org: Org) -> Personas:
    def member(username: str, unit: OrgUnit, role: str) -> Any:
        return MembershipFactory(user=UserFactory(username=username), unit=unit, role=role).user

    return Personas(
        admin=member("admin", org.company, Role.ADMIN),
        analyst=member("analyst", org.company, Role.CX_ANALYST),
        store_manager=member("manager", org.north_store, Role.UNIT_MANAGER),
        agent=member("agent", org.contact_centre, Role.AGENT),
        viewer=member("viewer", org.south, Role.VIEWER),
        outsider=UserFactory(username="outsider"),
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashing is slow on purpose; tests only need it to be correct."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _short_demo_history(settings: Any) -> None:
    """Two months of demo responses are enough for tests; a year takes longer to write."""
    settings.PULSO_DEMO_DAYS = 60


@pytest.fixture
def database_cache(settings: Any) -> Any:
    """The shared database cache as the default cache (what runs without REDIS_URL), whatever
    this test run's environment configures; its table created."""
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "pulso.core.cache.SharedDatabaseCache", "LOCATION": "pulso_cache"}
    }
    call_command("createcachetable", verbosity=0)
    backend = caches["default"]
    backend.clear()
    return backend
