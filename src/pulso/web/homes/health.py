"""The analyst's data health: response rates, low bases, pending text analysis, model accuracy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser, restrict
from pulso.journeys.models import Touchpoint
from pulso.metrics import queries, responses
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import low_base_n, response_rate
from pulso.textanalytics.analysis import pending_feedback
from pulso.textanalytics.models import SentimentModelVersion

RATE_DAYS = 30
LOW_BASE_LIMIT = 8


@dataclass
class DataHealth:
    delivered: int
    answered: int
    response_rate: float | None
    low_bases: list[dict[str, Any]]
    low_base_total: int
    low_base_n: int
    pending_analysis: int
    models: list[SentimentModelVersion]


def low_bases(user: AnyUser, today: date) -> list[dict[str, Any]]:
    """Touchpoint × unit cells with answers this month, but fewer than the low-base threshold."""
    f = MetricFilter(start=today.replace(day=1), end=today)
    cells = queries.totals_by(f, user, ("touchpoint_id", "org_unit_id"))
    minimum = low_base_n()
    low = [(key, t.n) for key, t in cells.items() if 0 < t.n < minimum and all(key)]
    touchpoints = Touchpoint.objects.in_bulk({key[0] for key, _n in low})
    units = OrgUnit.objects.in_bulk({key[1] for key, _n in low})
    rows = [
        {"touchpoint": touchpoints[tp], "unit": units[unit], "n": n}
        for (tp, unit), n in low
        if tp in touchpoints and unit in units
    ]
    return sorted(rows, key=lambda r: (r["n"], str(r["unit"]), str(r["touchpoint"])))


def data_health(user: AnyUser, today: date | None = None) -> DataHealth:
    today = today or timezone.localdate()
    f = MetricFilter(start=today - timedelta(days=RATE_DAYS - 1), end=today)
    invitations = responses.invitation_counts(f, user)
    lows = low_bases(user, today)
    return DataHealth(
        delivered=invitations["delivered"],
        answered=invitations["answered"],
        response_rate=response_rate(invitations["answered"], invitations["delivered"]),
        low_bases=lows[:LOW_BASE_LIMIT],
        low_base_total=len(lows),
        low_base_n=low_base_n(),
        pending_analysis=restrict(pending_feedback(), user, "feedback.view_feedback").count(),
        models=list(
            SentimentModelVersion.objects.filter(status=SentimentModelVersion.Status.ACTIVE)
        ),
    )
