from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from pulso.accounts.models import OrgUnit
from pulso.feedback.models import Feedback
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


def test_paths_form_a_tree(org: Org) -> None:
    assert org.north_store.path == f"/{org.company.pk}/{org.north.pk}/{org.north_store.pk}/"
    assert org.north_store.is_within(org.north)
    assert not org.north_store.is_within(org.south)
    assert [u.name for u in org.north_store.ancestors()] == ["Acme", "Norte"]
    assert set(org.north.subtree()) == {org.north, org.north_store}


def test_moving_a_unit_updates_its_path(org: Org) -> None:
    org.north_store.parent = org.south
    org.north_store.save()
    assert org.north_store.path.startswith(org.south.path)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"bilbao", "sevilla", None}),
        ("analyst", {"bilbao", "sevilla", None}),
        ("store_manager", {"bilbao"}),
        ("viewer", {"sevilla"}),
        ("agent", set()),
        ("outsider", set()),
    ],
)
def test_feedback_is_scoped_by_org_unit(
    org: Org, personas: Personas, persona: str, expected: set[str | None]
) -> None:
    FeedbackFactory(org_unit=org.north_store)
    FeedbackFactory(org_unit=org.south_store)
    FeedbackFactory(org_unit=None)
    visible = Feedback.objects.visible_to(getattr(personas, persona))
    codes = {item.org_unit.code if item.org_unit else None for item in visible}
    assert codes == expected


def test_anonymous_sees_nothing(org: Org) -> None:
    FeedbackFactory(org_unit=org.north_store)
    assert not Feedback.objects.visible_to(AnonymousUser()).exists()


def test_units_visible_to_a_regional_viewer(org: Org, personas: Personas) -> None:
    units = set(OrgUnit.objects.visible_to(personas.viewer))
    assert units == {org.south, org.south_store}
