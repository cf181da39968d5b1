"""What the alerts look at, read from the database: daily NPS counts per unit, new comments."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from django.db.models import Sum

from pulso.accounts.models import OrgUnit
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint
from pulso.lib import drops, spikes
from pulso.metrics.metrics import low_base_n
from pulso.metrics.models import DailyAggregate

HISTORY_DAYS = 7 * drops.BASELINE_WEEKS + max(drops.WINDOWS) + drops.COOLDOWN_DAYS
# A quarter of the "one false alarm per 30 days" (the crisis spikes spend half).
TOUCHPOINT_FALSE_ALARMS_PER_DAY = 0.25 / 30


@dataclass(frozen=True)
class UnitDrop:
    unit: OrgUnit
    day: date
    drop: drops.Drop


def daily_counts(units: list[OrgUnit], first: date, last: date) -> drops.DailyCounts:
    """Customer NPS counts per unit (its subtree rolled up) and day, from the aggregates."""
    days = (last - first).days + 1
    arrays = [np.zeros((len(units), days)) for _ in range(3)]
    rows = (
        DailyAggregate.objects.filter(day__gte=first, day__lte=last, audience="customer")
        .exclude(org_unit=None)
        .values("org_unit__path", "day")
        .annotate(p=Sum("promoters"), d=Sum("detractors"), n=Sum("nps_n"))
        .order_by()
    )
    index = {unit.path: i for i, unit in enumerate(units)}
    for row in rows:
        column = (_as_date(row["day"]) - first).days
        for i in _ancestors(row["org_unit__path"], index):
            for array, name in zip(arrays, ("p", "d", "n"), strict=True):
                array[i, column] += row[name] or 0
    return drops.DailyCounts(*arrays)


def _ancestors(path: str, index: dict[str, int]) -> list[int]:
    """Rows of the unit at ``path`` and of every unit above it ("/1/4/17/" → /1/, /1/4/, …)."""
    parts = path.strip("/").split("/")
    prefixes = ("/" + "/".join(parts[: k + 1]) + "/" for k in range(len(parts)))
    return [index[p] for p in prefixes if p in index]


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def unit_drops(day: date) -> list[UnitDrop]:
    """Units whose NPS dropped significantly in the last week up to ``day``.

    A drop found on an earlier day of the week (a missed run, or the two-day window firing
    first) is returned with its own day; the alert's key makes it raised once.
    """
    units = list(OrgUnit.objects.filter(is_active=True).order_by("path"))
    first = day - timedelta(days=HISTORY_DAYS - 1)
    counts = daily_counts(units, first, day)
    recent = HISTORY_DAYS - drops.COOLDOWN_DAYS
    return [
        UnitDrop(units[found.unit], first + timedelta(days=found.day), found)
        for found in drops.find_drops(counts, low_base_n())
        if found.day >= recent
    ]


@dataclass(frozen=True)
class TouchpointDrop:
    """A touchpoint's NPS drop, company-wide; its alert belongs to the touchpoint's owner."""

    touchpoint: Touchpoint
    unit: OrgUnit
    day: date
    drop: drops.Drop


def touchpoint_counts(touchpoints: list[Touchpoint], first: date, last: date) -> drops.DailyCounts:
    """Customer NPS counts per touchpoint (every unit's answers) and day, from the aggregates."""
    days = (last - first).days + 1
    arrays = [np.zeros((len(touchpoints), days)) for _ in range(3)]
    index = {tp.pk: i for i, tp in enumerate(touchpoints)}
    rows = (
        DailyAggregate.objects.filter(day__gte=first, day__lte=last, audience="customer")
        .filter(touchpoint__in=list(index))
        .values("touchpoint", "day")
        .annotate(p=Sum("promoters"), d=Sum("detractors"), n=Sum("nps_n"))
        .order_by()
    )
    for row in rows:
        column = (_as_date(row["day"]) - first).days
        for array, name in zip(arrays, ("p", "d", "n"), strict=True):
            array[index[row["touchpoint"]], column] += row[name] or 0
    return drops.DailyCounts(*arrays)


def touchpoint_drops(day: date) -> list[TouchpointDrop]:
    """Touchpoints whose NPS dropped significantly in the last week up to ``day``.

    The touchpoints share their own false-alarm budget (``TOUCHPOINT_FALSE_ALARMS_PER_DAY``,
    split over touchpoints and windows), so that watching more of them does not alarm more.
    """
    touchpoints = list(
        Touchpoint.objects.filter(is_archived=False).select_related("owner_unit").order_by("pk")
    )
    company = OrgUnit.objects.filter(parent=None).order_by("path").first()
    if not touchpoints or company is None:
        return []
    first = day - timedelta(days=HISTORY_DAYS - 1)
    counts = touchpoint_counts(touchpoints, first, day)
    scanned = len(touchpoints) * len(drops.WINDOWS)
    alpha = spikes.level_per_test(scanned, TOUCHPOINT_FALSE_ALARMS_PER_DAY)
    recent = HISTORY_DAYS - drops.COOLDOWN_DAYS
    return [
        TouchpointDrop(
            touchpoints[found.unit],
            touchpoints[found.unit].owner_unit or company,
            first + timedelta(days=found.day),
            found,
        )  # fmt: skip
        for found in drops.find_drops(counts, low_base_n(), alpha=alpha)
        if found.day >= recent
    ]


def normalise(text: str) -> str:
    """Lower case without accents, so that "Denuncia" and "denúncia" both match "denuncia"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_in(text: str, words: Iterable[str]) -> list[str]:
    """The watched words (or phrases) that appear in ``text`` as whole words."""
    plain = normalise(text)
    return [w for w in words if re.search(rf"\b{re.escape(normalise(w))}\b", plain)]


def recent_comments(since: datetime, until: datetime) -> list[Feedback]:
    return list(
        Feedback.objects.complete()
        .filter(received_at__gte=since, received_at__lt=until)
        .exclude(text="")
        .exclude(org_unit=None)
        .select_related("org_unit")
        .order_by("received_at", "pk")
    )
