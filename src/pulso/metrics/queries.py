"""Summed counts for any cut, read from the aggregates and always scoped to the user.

A date range is split into whole months (read from ``MonthlyAggregate``) and the days at its
edges (read from ``DailyAggregate``), so a year of data is a few thousand rows, not millions.
Pending response changes are folded in first, so the numbers are never stale.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet, Sum

from pulso.core.access import AnyUser
from pulso.metrics.aggregates import COUNT_COLUMNS
from pulso.metrics.filters import MetricFilter, Period, bucket_start
from pulso.metrics.metrics import Totals
from pulso.metrics.models import DailyAggregate, MonthlyAggregate

Key = tuple[Any, ...]


def split_range(first: date, last: date) -> tuple[list[tuple[date, date]], list[date]]:
    """Whole months inside [first, last] and the leftover (first, last) day runs."""
    months: list[date] = []
    edges: list[tuple[date, date]] = []
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        month_last = following - timedelta(days=1)
        if month >= first and month_last <= last:
            months.append(month)
        else:
            edges.append((max(month, first), min(month_last, last)))
        month = following
    return edges, months


def _edges_as_months(
    edges: list[tuple[date, date]], months: list[date]
) -> tuple[list[tuple[date, date]], list[date]]:
    """Read an edge run from the monthly cells when its month has no daily cell outside it.

    The monthly cells are the sums of the daily ones (rebuilt together), so they then hold
    exactly the edge's counts, in far fewer rows. The common case is the current month up to
    today; the check is one index range probe and ignores the filter, so it is never too lax.
    """
    kept: list[tuple[date, date]] = []
    whole = list(months)
    for first, last in edges:  # split_range keeps each edge inside one month
        month = first.replace(day=1)
        following = (month + timedelta(days=32)).replace(day=1)
        outside = Q(day__gte=month, day__lt=first) | Q(day__gt=last, day__lt=following)
        if DailyAggregate.objects.filter(outside).exists():
            kept.append((first, last))
        else:
            whole.append(month)
    return kept, whole


def _cut(queryset: QuerySet[Any], f: MetricFilter, user: AnyUser, audience: bool) -> QuerySet[Any]:
    conditions: dict[str, Any] = {
        "journey": f.journey,
        "touchpoint__stage": f.stage,
        "touchpoint": f.touchpoint,
        "survey": f.survey,
    }
    if f.channel or f.segment:  # only daily cells have these dimensions
        conditions.update(channel=f.channel, segment=f.segment)
    scoped = queryset.visible_to(user)  # type: ignore[attr-defined]
    queryset = scoped.filter(**{k: v for k, v in conditions.items() if v})
    if f.unit is not None:
        queryset = queryset.filter(org_unit__path__startswith=f.unit.path)
    return queryset.filter(audience=f.audience) if audience else queryset


def _sums(queryset: QuerySet[Any], fields: list[str]) -> QuerySet[Any]:
    """Rows of ``fields`` followed by the sums of the count columns, as tuples."""
    return (
        queryset.values(*fields)
        .annotate(**{c: Sum(c) for c in COUNT_COLUMNS})  # type: ignore[arg-type]
        .order_by()
        .values_list(*fields, *COUNT_COLUMNS)
    )


def totals_by(
    f: MetricFilter,
    user: AnyUser,
    fields: tuple[str, ...] = (),
    span: tuple[date, date] | None = None,
    by: str | None = None,
    audience: bool = True,
) -> dict[Key, Totals]:
    """Totals per value of ``fields`` (plus the period bucket when ``by`` is given).

    Keys are tuples of the field values, followed by the bucket's first day when ``by`` is set.
    """
    first, last = span or (f.start, f.end)
    if first > last:  # the empty period (a start after the end)
        return {}
    months_ok = by in (None, Period.MONTH, Period.QUARTER) and not (f.channel or f.segment)
    edges, months = split_range(first, last) if months_ok else ([(first, last)], [])
    if months_ok:
        edges, months = _edges_as_months(edges, months)
    result: dict[Key, Totals] = defaultdict(Totals)
    if months:
        rows = _cut(MonthlyAggregate.objects.filter(month__in=months), f, user, audience)
        _add(result, _sums(rows, [*fields, *(["month"] if by else [])]), len(fields), by)
    if edges:
        in_edges = Q()
        for a, b in edges:
            in_edges |= Q(day__gte=a, day__lte=b)
        rows = _cut(DailyAggregate.objects.filter(in_edges), f, user, audience)
        _add(result, _sums(rows, [*fields, *(["day"] if by else [])]), len(fields), by)
    return dict(result)


def _add(result: dict[Key, Totals], rows: Any, width: int, by: str | None) -> None:
    """Add the summed rows (``width`` key values, the period when ``by`` is set, then the counts
    in ``COUNT_COLUMNS`` order) to ``result``; one Totals per key, not one per row."""
    counts_at = width + (1 if by else 0)
    added: dict[Key, list[int]] = {}
    for row in rows:
        key = row[:width]
        if by:
            key += (bucket_start(_as_date(row[width]), by),)
        counts = [value or 0 for value in row[counts_at:]]
        if (kept := added.get(key)) is None:
            added[key] = counts
        else:
            added[key] = list(map(operator.add, kept, counts))
    for key, counts in added.items():
        result[key] = result[key] + Totals(*map(int, counts))


def _as_date(value: Any) -> date:
    # SQLite hands back dates of grouped values as ISO strings.
    return value if isinstance(value, date) else _parse_date(str(value)[:10])


@lru_cache(maxsize=4096)
def _parse_date(text: str) -> date:
    return date.fromisoformat(text)


def total(f: MetricFilter, user: AnyUser, span: tuple[date, date] | None = None) -> Totals:
    return totals_by(f, user, span=span).get((), Totals())


def by_audience(
    f: MetricFilter, user: AnyUser, span: tuple[date, date] | None = None
) -> dict[str, Totals]:
    rows = totals_by(f, user, ("audience",), span=span, audience=False)
    return {key[0]: value for key, value in rows.items()}


def buckets(f: MetricFilter) -> list[date]:
    """Every bucket start of the filter's period, so that gaps show as gaps."""
    if f.is_empty:
        return []
    starts, day = [], bucket_start(f.start, f.by)
    while day <= f.end:
        starts.append(day)
        day = _next_bucket(day, f.by)
    return starts


def _next_bucket(day: date, by: str) -> date:
    if by == Period.DAY:
        return day + timedelta(days=1)
    if by == Period.WEEK:
        return day + timedelta(days=7)
    months = 3 if by == Period.QUARTER else 1
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)
