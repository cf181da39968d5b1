"""On the demo, cases reach the stores where customers had the experience: every store with a
detractor in the last 30 days has an open case of its own, none of them lands in the head office's
queue, and the store with nobody to handle cases sends them to its region."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.demo.org import STORE_WITHOUT_MANAGER
from pulso.loop.actions import case_handlers
from pulso.loop.models import Case
from pulso.surveys.models import Response


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """``pulso demo`` once for the module, inside a transaction rolled back at its end (each
    test runs in a savepoint of it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-serve")
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def stores() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).select_related("parent"))


def test_every_store_with_a_recent_detractor_has_an_open_case_of_its_own(demo: None) -> None:
    since = timezone.now() - timedelta(days=30)
    detractors = Response.objects.filter(is_complete=True, nps__lte=6, submitted_at__gte=since)
    with_detractors = set(detractors.values_list("org_unit_id", flat=True))
    open_cases = Case.objects.exclude(status=Case.Status.CLOSED)
    checked = 0
    for store in stores():
        if store.pk not in with_detractors:
            continue
        handled_by = store if case_handlers(store).exists() else store.parent
        assert open_cases.filter(unit=handled_by, feedback__org_unit=store).exists(), store.name
        checked += 1
    assert checked >= 10  # the demo's stores do get detractors


def test_no_store_detractor_lands_in_the_head_office_queue(demo: None) -> None:
    root = OrgUnit.objects.get(parent__isnull=True)
    for store in stores():
        if not case_handlers(store).exists():
            continue
        cases = Case.objects.filter(feedback__org_unit=store)
        assert not cases.filter(unit=root).exists(), store.name
        assert set(cases.values_list("unit_id", flat=True)) <= {store.pk}, store.name


def test_a_store_without_a_case_handler_sends_its_cases_to_its_region(demo: None) -> None:
    store = OrgUnit.objects.get(kind=OrgUnit.Kind.STORE, name=f"Tienda {STORE_WITHOUT_MANAGER}")
    assert not case_handlers(store).exists()
    cases = Case.objects.filter(feedback__org_unit=store)
    assert cases.exists()
    assert set(cases.values_list("unit_id", flat=True)) == {store.parent_id}
    assert all(case.owner is not None for case in cases)
