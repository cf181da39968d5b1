"""A unit manager's home: their unit's scores against target and peers, cases, comments, praise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.accounts.privacy import personal_data
from pulso.core.access import AnyUser
from pulso.loop.models import Case
from pulso.metrics import dashboards
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import Scorecard
from pulso.textanalytics.models import Sentiment, TextAnalysis
from pulso.web.homes.peers import Benchmark, default_span, peer_benchmark

CASE_LIMIT = 8
PRAISE_LIMIT = 3


@dataclass
class Praise:
    text: str
    written_at: datetime | None
    feedback_id: int


@dataclass
class UnitHome:
    unit: OrgUnit
    filter: MetricFilter
    card: Scorecard
    benchmark: Benchmark
    cases: list[Case]
    open_cases: int
    negative_today: int
    praise: list[Praise]


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def unit_cases(user: AnyUser, unit: OrgUnit) -> QuerySet[Case]:
    """Open cases of the unit's subtree, overdue first, then by next deadline."""
    return (
        Case.objects.visible_to(user)
        .filter(unit__path__startswith=unit.path)
        .open()
        .with_overdue_flag()
        .select_related("unit", "owner")
        .order_by("-overdue", "next_due", "pk")
    )


def _comments(user: AnyUser, unit: OrgUnit, sentiment: str) -> QuerySet[TextAnalysis]:
    return TextAnalysis.objects.visible_to(user).filter(
        analysed=True, sentiment=sentiment, feedback__org_unit__path__startswith=unit.path
    )


def praise_for(user: AnyUser, unit: OrgUnit, limit: int = PRAISE_LIMIT) -> list[Praise]:
    """The newest positive comments of the unit's subtree, as the person may read them."""
    privacy = personal_data(user)
    found = (
        _comments(user, unit, Sentiment.POSITIVE)
        .exclude(feedback__text="")
        .select_related("feedback__org_unit")
        .order_by("-written_at", "-pk")[:limit]
    )
    return [
        Praise(
            privacy.text_at(
                a.feedback.text, a.feedback.org_unit.path if a.feedback.org_unit else None
            ),
            a.written_at,
            a.feedback_id,
        )
        for a in found
    ]


def unit_home(user: AnyUser, unit: OrgUnit, today: date | None = None) -> UnitHome:
    today = today or timezone.localdate()
    start, end = default_span(today)
    f = MetricFilter(start=start, end=end, unit=unit)
    cases = unit_cases(user, unit)
    return UnitHome(
        unit=unit,
        filter=f,
        card=dashboards.scorecard(f, user),
        benchmark=peer_benchmark(unit, start, end),
        cases=list(cases[:CASE_LIMIT]),
        open_cases=cases.count(),
        negative_today=_comments(user, unit, Sentiment.NEGATIVE)
        .filter(written_at__gte=start_of(today))
        .count(),
        praise=praise_for(user, unit),
    )
