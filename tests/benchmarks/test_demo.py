"""The demo classifies every touchpoint by interaction type and seeds illustrative references."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from pulso.benchmarks.models import ReferenceValue
from pulso.demo import benchmarks, journeys, org
from pulso.journeys.models import Touchpoint

pytestmark = pytest.mark.django_db


def _progress(label: str, total: int) -> Callable[[int], None]:
    return lambda step: None


def test_demo_touchpoints_have_types_and_references_are_marked_illustrative(db: Any) -> None:
    for step in (org, journeys, benchmarks):
        step.build(random.Random(1), _progress)
    assert not Touchpoint.objects.filter(interaction_type="").exists()
    incident_channels = set(
        Touchpoint.objects.filter(interaction_type="incident").values_list("channel", flat=True)
    )
    assert {"call_centre", "chat", "email"} <= incident_channels
    references = ReferenceValue.objects.all()
    assert references.count() == len(benchmarks.REFERENCES)
    assert {r.source for r in references} == {"Referencia sectorial de ejemplo"}
    assert all("ilustrativa" in r.notes for r in references)
    benchmarks.build(random.Random(1), _progress)  # run again: nothing doubles
    assert ReferenceValue.objects.count() == len(benchmarks.REFERENCES)
