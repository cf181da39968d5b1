"""Keep the daily and monthly aggregates equal to what the survey records say.

A cell counts the complete feedback records of survey responses: period, journey, touchpoint,
unit, scores, comment and analysis are the record's; survey, audience, response channel and
segment, which only a survey response has, come from the response it records.

Triggers (migrations ``0002``, ``0008`` and ``0009``) append the UTC day of every inserted,
updated or deleted response to ``AggregateChange``; responses inserted in bulk
(:func:`pulso.core.bulk.bulk_insert`) are logged once per batch by
:func:`log_inserted_responses` instead (migration ``0010``).
:func:`process_pending_changes` turns those into local days, rebuilds their daily cells and the
monthly cells of their months, and indexes new comments for search.
It runs in the worker only: from the ``feedback.recorded`` subscriber
(:mod:`pulso.metrics.subscribers`), the five-minute job and ``pulso refresh_metrics``; dashboard
reads never call it. Refreshes run one at a time (an advisory lock on PostgreSQL, SQLite's
single writer) and never hold back writers of responses: a change committed after a refresh read
the log is logged in an entry that refresh does not delete.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from pulso.feedback.models import Feedback
from pulso.lib.scores import DETRACTOR_MAX, PROMOTER_MIN
from pulso.metrics.models import (
    AggregateChange,
    DailyAggregate,
    MonthlyAggregate,
    SearchDocument,
)
from pulso.metrics.search_index import index_missing_feedback
from pulso.surveys.models import Response

COUNT_COLUMNS = [
    "n", "nps_n", "promoters", "detractors", "csat_n", "csat_sum", "csat_top2",
    "ces_n", "ces_sum", "ces_easy", "comments", "analysed", "negative",
]  # fmt: skip
MONTH_DIMENSIONS = ["survey_id", "audience", "journey_id", "touchpoint_id", "org_unit_id"]
DIMENSION_COLUMNS = [*MONTH_DIMENSIONS, "channel", "segment"]


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Aware datetimes from the local midnight of ``first`` to the one after ``last``."""
    zone = local_zone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


def record_counts() -> dict[str, object]:
    """The aggregate expressions that turn feedback records into a cell's counts."""
    return {
        "n": Count("id"),
        "nps_n": Count("nps"),
        "promoters": Count("id", filter=Q(nps__gte=PROMOTER_MIN)),
        "detractors": Count("id", filter=Q(nps__lte=DETRACTOR_MAX)),
        "csat_n": Count("csat"),
        "csat_sum": Coalesce(Sum("csat"), 0),
        "csat_top2": Count("id", filter=Q(csat__gte=4)),
        "ces_n": Count("ces"),
        "ces_sum": Coalesce(Sum("ces"), 0),
        "ces_easy": Count("id", filter=Q(ces__gte=5)),
        "comments": Count("id", filter=~Q(text="")),
        "analysed": Count("analysis", filter=~Q(analysis__sentiment="")),
        "negative": Count("analysis", filter=Q(analysis__sentiment="negative")),
    }


def survey_records() -> QuerySet[Feedback]:
    return Feedback.objects.complete().filter(source=Feedback.Source.SURVEY)


def _daily_cells(first: date, last: date) -> QuerySet[Feedback]:
    start, end = day_bounds(first, last)
    return (
        survey_records()
        .filter(received_at__gte=start, received_at__lt=end)
        .annotate(
            day=TruncDate("received_at", tzinfo=local_zone()),
            survey_id=F("response__survey_id"),
            audience=F("response__survey__audience"),
            response_channel=F("response__channel"),
            segment=F("response__segment"),
        )
        .values("day", *MONTH_DIMENSIONS, "response_channel", "segment")
        .annotate(**record_counts())  # type: ignore[arg-type]
        .order_by()
    )


def _monthly_cells(month: date) -> QuerySet[DailyAggregate]:
    next_month = (month + timedelta(days=32)).replace(day=1)
    sums = {name: Sum(name) for name in COUNT_COLUMNS}
    return (
        DailyAggregate.objects.filter(day__gte=month, day__lt=next_month)
        .annotate(month=Value(month))
        .values("month", *MONTH_DIMENSIONS)
        .annotate(**sums)  # type: ignore[arg-type]
        .order_by()
    )


def _insert_select(
    table: str,
    period: str,
    cells: QuerySet[Any],
    dimensions: list[str],
    aliases: dict[str, str] | None = None,
) -> None:
    """INSERT … SELECT, naming the columns of the grouped query by their aliases (``aliases``
    maps a column to the alias that fills it where the two differ)."""
    columns = [period, *dimensions, *COUNT_COLUMNS]
    sources = [(aliases or {}).get(c, c) for c in columns]
    sql, params = cells.query.sql_with_params()
    quote = connection.ops.quote_name
    into, select = ", ".join(map(quote, columns)), ", ".join(map(quote, sources))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({into}) SELECT {select} FROM ({sql}) cells",  # noqa: S608
            params,
        )


def log_inserted_responses(ids: Sequence[int]) -> None:
    """Log the UTC days of a batch of responses inserted in bulk, once per day (what the
    insert trigger does per row), in the inserting transaction."""
    table = connection.ops.quote_name(AggregateChange._meta.db_table)
    if connection.vendor == "postgresql":  # always log, as the triggers do (migration 0009)
        day, unseen = "(r.submitted_at AT TIME ZONE 'UTC')::date", ""
    else:
        day = "date(r.submitted_at)"
        unseen = f" AND NOT EXISTS (SELECT 1 FROM {table} c WHERE c.day = {day})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day) SELECT DISTINCT {day} FROM surveys_response r "  # noqa: S608
            f"WHERE r.id BETWEEN %s AND %s{unseen}",
            [min(ids), max(ids)],
        )


def _runs(days: Iterable[date]) -> Iterator[tuple[date, date]]:
    """Consecutive days grouped into (first, last) runs, so each run is one query."""
    ordered = sorted(set(days))
    if not ordered:
        return
    first = last = ordered[0]
    for day in ordered[1:]:
        if day - last > timedelta(days=1) or day - first >= timedelta(days=31):
            yield first, last
            first = day
        last = day
    yield first, last


REFRESH_LOCK = 0x70756C736F  # "pulso": the advisory lock key of aggregate refreshes


def _one_refresh_at_a_time() -> None:
    """Serialise refreshes (two rebuilding one day would both insert its cells) without
    holding back writers of responses. SQLite's IMMEDIATE transactions already serialise."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])


def refresh_days(days: Iterable[date]) -> int:
    """Rebuild the cells of these local days and of their months; returns the days rebuilt."""
    runs = list(_runs(days))
    months: set[date] = set()
    with transaction.atomic():
        _one_refresh_at_a_time()
        for first, last in runs:
            DailyAggregate.objects.filter(day__gte=first, day__lte=last).delete()
            _insert_select(
                DailyAggregate._meta.db_table,
                "day",
                _daily_cells(first, last),
                DIMENSION_COLUMNS,
                aliases={"channel": "response_channel"},
            )
            index_missing_feedback(*day_bounds(first, last))
            months.update(_months_between(first, last))
        for month in sorted(months):
            MonthlyAggregate.objects.filter(month=month).delete()
            _insert_select(
                MonthlyAggregate._meta.db_table, "month", _monthly_cells(month), MONTH_DIMENSIONS
            )
    return sum((last - first).days + 1 for first, last in runs)


def _months_between(first: date, last: date) -> set[date]:
    months, current = set(), first.replace(day=1)
    while current <= last:
        months.add(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def process_pending_changes() -> int:
    """Rebuild every day a trigger marked as changed; returns the number of local days."""
    if not AggregateChange.objects.exists():
        return 0
    with transaction.atomic():
        _one_refresh_at_a_time()
        # Only the entries read here: a writer still in its transaction logs its day in an
        # entry this refresh cannot see, which stays for the next refresh (the PostgreSQL
        # triggers always log, see migration 0009), so no table lock is needed.
        pending = dict(AggregateChange.objects.values_list("pk", "day"))
        AggregateChange.objects.filter(pk__in=list(pending)).delete()
        utc_days = set(pending.values())
        # A UTC day overlaps the local days before and after it in every time zone.
        local_days = {d + timedelta(days=k) for d in utc_days for k in (-1, 0, 1)}
        return refresh_days(local_days)


def rebuild_all() -> int:
    """Rebuild every aggregate from scratch (after a restore, or to check the incremental path)."""
    with transaction.atomic():
        _one_refresh_at_a_time()
        AggregateChange.objects.all().delete()
        DailyAggregate.objects.all().delete()
        MonthlyAggregate.objects.all().delete()
        span = _response_days()
        days = 0
        if span is not None:
            first, last = span
            days = refresh_days(first + timedelta(days=k) for k in range((last - first).days + 1))
    index_missing_feedback()
    _analyze()
    return days


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk rebuild (PostgreSQL's autovacuum would,
    later; SQLite never does on its own). The responses too: the comment lists of dashboards
    join them, and with the counts of an empty table PostgreSQL read a store's comments
    through every response of the year (22 s at 1,000,000 responses instead of milliseconds)."""
    tables = [DailyAggregate, MonthlyAggregate, Feedback, Response, SearchDocument]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _response_days() -> tuple[date, date] | None:
    span = survey_records().aggregate(first=Min("received_at"), last=Max("received_at"))
    if span["first"] is None:
        return None
    zone = local_zone()
    return span["first"].astimezone(zone).date(), span["last"].astimezone(zone).date()
