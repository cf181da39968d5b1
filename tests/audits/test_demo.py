"""The demo company's audits: checklists for the in-store touchpoints, past visits to every
store (none in the future), and an emitted-versus-perceived chart with points."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.audits.models import Checklist, Visit
from pulso.demo.audits import SHOPPER
from pulso.feedback.models import Feedback
from tests.factories import UserFactory


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-serve")
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_every_store_has_past_visits_of_every_in_store_checklist(demo: None) -> None:
    checklists = list(Checklist.objects.select_related("touchpoint"))
    assert checklists and all(c.touchpoint.channel == "store" for c in checklists)
    stores = OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE)
    recorded = Visit.objects.recorded()
    for store in stores:
        for checklist in checklists:
            assert recorded.filter(unit=store, checklist=checklist).count() == 2
    now = timezone.now()
    assert not recorded.filter(visited_at__gt=now).exists()
    records = Feedback.objects.filter(source=Feedback.Source.AUDIT)
    assert records.count() == recorded.count()
    assert not records.filter(received_at__gt=now).exists()
    assert Visit.objects.planned().filter(auditor__username=SHOPPER).exists()
    assert recorded.filter(critical_failed=True).exists()


def test_the_demo_overview_sets_audits_beside_customers(demo: None) -> None:
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("audits:overview"))
    rows = response.context["chart"]["datasets"]["table"]
    assert len(rows) >= 5
    assert all(0 <= row["emitted"] <= 100 and 0 <= row["perceived"] <= 100 for row in rows)
