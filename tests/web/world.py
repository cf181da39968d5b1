"""A hand-built world for the home pages: scored responses relative to today."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.surveys.models import Response
from tests.factories import OrgUnitFactory
from tests.metrics.factories import ResponseFactory


def days_ago(days: int, hour: int = 12) -> datetime:
    """An aware time on the local day ``days`` before today."""
    day = timezone.localdate() - timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def answers(
    survey: Any, unit: OrgUnit, scores: list[int], when: Any, **fields: Any
) -> list[Response]:
    return [
        ResponseFactory(survey=survey, org_unit=unit, nps=s, submitted_at=when, **fields)
        for s in scores
    ]


def sibling_store(parent: OrgUnit, name: str, code: str) -> OrgUnit:
    return OrgUnitFactory(name=name, code=code, kind=OrgUnit.Kind.STORE, parent=parent)
