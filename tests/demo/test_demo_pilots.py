"""On the demo, the pickup-appointment pilot's page shows the verdict its data support, and the
employee pulse shows no group below the threshold."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from pulso.initiatives import effects
from pulso.initiatives.models import Pilot
from pulso.pulses.models import Pulse
from tests.factories import UserFactory


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-serve")
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_pilot_page_shows_the_computed_verdict(demo: None, client: Any) -> None:
    pilot = Pilot.objects.get()
    today = timezone.localdate()
    assert pilot.after_end < today
    answers = effects.pilot_answers(pilot)
    assert max(a.day for a in answers) < today  # nothing measured is dated today or later
    result = effects.pilot_effect(pilot, answers)
    assert result is not None and result.treated_units == result.control_units == 8
    with translation.override("es"):
        verdict = effects.verdict(result)
    print("demo pilot:", result, verdict.text)  # for the record of a run with -s
    assert verdict.kind == "improved", verdict  # the demo's pilot stores did get better
    client.force_login(UserFactory(username="demo-root", is_superuser=True))
    page = client.get(reverse("initiatives:pilot_detail", args=[pilot.pk]))
    assert page.status_code == 200
    assert verdict.text[0].upper() + verdict.text[1:] in page.content.decode()
    assert "extender a todas las tiendas" in verdict.text


def test_the_employee_pulse_hides_small_groups(demo: None, client: Any) -> None:
    pulse = Pulse.objects.get()
    client.force_login(UserFactory(username="demo-root-2", is_superuser=True))
    rows = client.get(f"/api/pulses/{pulse.pk}/results").json()
    shown = [r for r in rows if not r["suppressed"]]
    assert shown and all(r["n"] >= 5 for r in shown)
    assert any(r["suppressed"] for r in rows if r["tenure"] == "")  # some small stores
    assert client.get(reverse("pulses:results", args=[pulse.pk])).status_code == 200
