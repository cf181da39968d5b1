"""Audit scores by unit, touchpoint and standard, and the gap between the emitted experience
(what visits found) and the perceived one (what customers said in surveys), per unit ×
touchpoint.

Perceived score: the mean of the survey responses given at the same unit and touchpoint in the
same period, each on 0–100: CSAT 1–5 → 0–100, or, for a response without CSAT, its NPS answer
0–10 → 0–100. Every figure carries its base (visits, responses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Case, Count, F, FloatField, Q, Sum, When
from django.db.models.functions import Cast

from pulso.audits.models import VisitAnswer, VisitQuerySet
from pulso.feedback.models import Feedback


@dataclass
class Pair:
    """One unit × touchpoint: its audit score beside its customers' score."""

    unit_id: int
    unit: str
    touchpoint_id: int
    touchpoint: str
    emitted: float | None
    visits: int
    perceived: float | None = None
    responses: int = 0

    @property
    def gap(self) -> float | None:
        """Emitted minus perceived: positive when customers rate lower than the audits."""
        if self.emitted is None or self.perceived is None:
            return None
        return round(self.emitted - self.perceived, 1)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def by_unit(visits: VisitQuerySet) -> list[dict[str, object]]:
    """Mean score, visits and visits with a critical failure per unit, best first."""
    rows = (
        visits.recorded()
        .values("unit_id", name=F("unit__name"))
        .annotate(
            score=Avg("score"),
            visits=Count("pk"),
            critical=Count("pk", filter=Q(critical_failed=True)),
        )
        .order_by("-score", "name")
    )
    return [{**row, "score": _rounded(row["score"])} for row in rows]


def by_touchpoint(visits: VisitQuerySet) -> list[dict[str, object]]:
    rows = (
        visits.recorded()
        .values(touchpoint_id=F("checklist__touchpoint_id"), name=F("checklist__touchpoint__name"))
        .annotate(
            score=Avg("score"),
            visits=Count("pk"),
            critical=Count("pk", filter=Q(critical_failed=True)),
        )
        .order_by("-score", "name")
    )
    return [{**row, "score": _rounded(row["score"])} for row in rows]


def by_standard(visits: VisitQuerySet) -> list[dict[str, object]]:
    """Per scored standard: how often it was met and its mean score, weakest first."""
    answers = VisitAnswer.objects.filter(visit__in=visits.recorded(), score__isnull=False)
    rows = (
        answers.values(
            "standard_id",
            text=F("standard__text"),
            checklist=F("standard__checklist__name"),
            critical=F("standard__is_critical"),
        )
        .annotate(
            score=Avg("score"), answers=Count("pk"), failed=Count("pk", filter=Q(failed=True))
        )
        .order_by("score", "text")
    )
    return [
        {
            **row,
            "score": _rounded(row["score"]),
            "met_rate": _met_rate(row["answers"], row["failed"]),
        }
        for row in rows
    ]


def _met_rate(answered: int, failed: int) -> float | None:
    return round(100 * (answered - failed) / answered, 1) if answered else None


# A survey response on 0–100: its CSAT when it has one, else its NPS answer.
PERCEIVED = Case(
    When(csat__isnull=False, then=(Cast("csat", FloatField()) - 1) * 25),
    When(nps__isnull=False, then=Cast("nps", FloatField()) * 10),
    default=None,
    output_field=FloatField(),
)


def perceived(
    pairs: set[tuple[int, int]], since: datetime | None, until: datetime | None
) -> dict[tuple[int, int], tuple[float, int]]:
    """(mean perceived score, responses) per (unit, touchpoint) among ``pairs``."""
    if not pairs:
        return {}
    responses = Feedback.objects.complete().filter(
        source=Feedback.Source.SURVEY,
        org_unit_id__in={unit for unit, _t in pairs},
        touchpoint_id__in={touchpoint for _u, touchpoint in pairs},
    )
    if since is not None:
        responses = responses.filter(received_at__gte=since)
    if until is not None:
        responses = responses.filter(received_at__lt=until)
    rows = (
        responses.annotate(value=PERCEIVED)
        .filter(value__isnull=False)
        .values("org_unit_id", "touchpoint_id")
        .annotate(total=Sum("value"), n=Count("pk"))
    )
    found = {}
    for row in rows:
        key = (row["org_unit_id"], row["touchpoint_id"])
        if key in pairs:
            found[key] = (round(row["total"] / row["n"], 1), row["n"])
    return found


def emitted_vs_perceived(
    visits: VisitQuerySet, since: datetime | None = None, until: datetime | None = None
) -> list[Pair]:
    """Every unit × touchpoint visited in the period, with its customers' score beside it."""
    recorded = visits.recorded()
    if since is not None:
        recorded = recorded.filter(visited_at__gte=since)
    if until is not None:
        recorded = recorded.filter(visited_at__lt=until)
    rows = (
        recorded.values(
            "unit_id",
            unit_name=F("unit__name"),
            touchpoint_id=F("checklist__touchpoint_id"),
            touchpoint_name=F("checklist__touchpoint__name"),
        )
        .annotate(score=Avg("score"), n=Count("pk"))
        .order_by("unit_name", "touchpoint_name")
    )
    pairs = [
        Pair(row["unit_id"], row["unit_name"], row["touchpoint_id"], row["touchpoint_name"],
             _rounded(row["score"]), row["n"])
        for row in rows
    ]  # fmt: skip
    found = perceived({(p.unit_id, p.touchpoint_id) for p in pairs}, since, until)
    for pair in pairs:
        pair.perceived, pair.responses = found.get((pair.unit_id, pair.touchpoint_id), (None, 0))
    return pairs
