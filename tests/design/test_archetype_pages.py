"""Archetype pages: the list with masked quotes, finding anew, naming; bad input is a form error
(never a 500, never control characters stored)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pulso.design.models import Archetype, Segmentation
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint
from tests.conftest import Org, Personas
from tests.factories import CustomerFactory, FeedbackFactory, TouchpointFactory

pytestmark = pytest.mark.django_db
HOSTILE = ["\x00", "Nota\x0b con\x1b controles\x07", "9" * 5000, "-1", "<b>x</b>", "[]"]


@pytest.fixture
def archetype(org: Org) -> Archetype:
    touchpoint = TouchpointFactory(name="Entrega a domicilio")
    quote = FeedbackFactory(
        customer=CustomerFactory(),
        org_unit=org.north_store,
        text="Llamadme al 612 345 678, la entrega llegó tarde otra vez.",
    )
    search = Segmentation.objects.create(
        since="2026-01-01", until="2026-11-30", customers=200, silhouette=0.41
    )
    archetype = Archetype.objects.create(
        segmentation=search,
        position=0,
        name="Arquetipo 1",
        size=120,
        segments={"Profesional": 0.8, "Particular": 0.2},
        profile=[
            {"kind": "segment", "key": "Profesional", "value": 0.8, "overall": 0.15},
            {"kind": "touchpoint", "key": touchpoint.pk, "value": 0.45, "overall": 0.08},
            {"kind": "scores", "key": "nps", "value": 4.1, "overall": 7.2},
        ],
        scores={"nps": -30.0, "nps_n": 150, "csat": 41.0, "csat_n": 90},
        journey=[{"touchpoint": touchpoint.pk, "share": 0.45}],
    )
    archetype.quotes.set([quote])
    return archetype


def test_the_list_describes_each_archetype(
    client: Any, personas: Personas, archetype: Archetype
) -> None:
    client.force_login(personas.analyst)
    html = client.get(reverse("design:archetypes")).content.decode()
    assert "Arquetipo 1" in html and "120 clientes · 60 % del total" in html
    assert "Segmento «Profesional»: 80 % de sus clientes (15 % en total)" in html
    assert "«Entrega a domicilio»: 45 % de sus opiniones (8 % en total)" in html
    assert "Puntuación NPS media: 4,1 (7,2 en total)" in html
    assert "-30" in html and "41 %" in html
    assert "la entrega llegó tarde otra vez" in html


def test_quotes_are_masked_for_who_may_not_see_personal_data(
    client: Any, personas: Personas, archetype: Archetype, org: Org
) -> None:
    from tests.factories import MembershipFactory, UserFactory

    reader = UserFactory(username="lector")
    MembershipFactory(user=reader, unit=org.company, role="viewer")
    client.force_login(reader)
    html = client.get(reverse("design:archetypes")).content.decode()
    assert "la entrega llegó tarde otra vez" in html
    assert "612 345 678" not in html


def test_an_analyst_names_an_archetype(
    client: Any, personas: Personas, archetype: Archetype
) -> None:
    client.force_login(personas.analyst)
    url = reverse("design:archetype_edit", args=[archetype.pk])
    response = client.post(url, {"name": "Profesional exigente", "description": "Reformas."})
    assert response.status_code == 302
    archetype.refresh_from_db()
    assert (archetype.name, archetype.description) == ("Profesional exigente", "Reformas.")
    assert "Profesional exigente" in client.get(reverse("design:archetypes")).content.decode()


def test_finding_archetypes_with_too_few_customers_is_a_form_error(
    client: Any, personas: Personas
) -> None:
    client.force_login(personas.analyst)
    url = reverse("design:archetype_find")
    response = client.post(url, {"since": "2026-01-01", "until": "2026-06-30"})
    assert response.status_code == 422
    assert "muy pocos clientes" in response.content.decode()
    inverted = client.post(url, {"since": "2026-06-30", "until": "2026-01-01"})
    assert inverted.status_code == 422 and not Segmentation.objects.exists()


def test_finding_archetypes_from_the_page_saves_a_new_search(
    client: Any, personas: Personas, org: Org
) -> None:
    touchpoints = [TouchpointFactory() for _ in range(2)]
    for n in range(40):
        customer = CustomerFactory(segment="Profesional" if n % 2 else "Particular")
        for _ in range(2):
            FeedbackFactory(customer=customer, touchpoint=touchpoints[n % 2], nps=9 if n % 2 else 2)
    client.force_login(personas.analyst)
    today = timezone.localdate()
    response = client.post(
        reverse("design:archetype_find"), {"since": today - timedelta(days=30), "until": today}
    )
    assert response.status_code == 302
    search = Segmentation.objects.get()
    assert search.customers == 40 and search.found_by == personas.analyst
    assert search.archetypes.count() == 2


def test_hostile_text_in_the_design_forms_is_never_a_500(
    client: Any, personas: Personas, archetype: Archetype
) -> None:
    touchpoint = Touchpoint.objects.get(name="Entrega a domicilio")
    client.force_login(personas.admin)
    pages = {
        reverse("design:archetype_edit", args=[archetype.pk]): ["name", "description"],
        reverse("design:blueprint_edit", args=[touchpoint.pk]): [
            "customer_action",
            "frontstage",
            "backstage",
            "support_processes",
            "systems",
            "responsible",
            "standards",
        ],  # fmt: skip
        reverse("design:archetype_find"): ["since", "until"],
    }
    for url, names in pages.items():
        for value in HOSTILE:
            response = client.post(url, {name: value for name in names})
            assert response.status_code < 500, (url, value)
    touchpoint.refresh_from_db()
    archetype.refresh_from_db()
    stored = [archetype.name, archetype.description, touchpoint.frontstage, touchpoint.standards]
    assert not [text for text in stored if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)]
    assert Feedback.objects.count() == 1
