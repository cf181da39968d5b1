"""A history import is a bulk write: the metrics' change log gets each chunk's days once
(no trigger run per response), and the dashboards then equal a full rebuild."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.db import connection, transaction

from pulso.core.bulk import bulk_insert
from pulso.core.models import BulkWrite
from pulso.metrics.aggregates import process_pending_changes, rebuild_all
from pulso.metrics.models import AggregateChange, DailyAggregate, MonthlyAggregate
from pulso.surveys.importers import history
from pulso.surveys.importers.bulk import ResponseRow, bulk_record_responses
from pulso.surveys.importers.history import do_import_survey_history
from pulso.surveys.models import Response, Survey
from tests.metrics.factories import ResponseFactory, local

pytestmark = pytest.mark.django_db

NAMES = ["StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate", "ResponseId",
         "DistributionChannel", "UserLanguage", "Q1", "Q2", "Q3"]  # fmt: skip
MAPPING = {"Q1": "nps", "Q2": "csat", "Q3": "comentario"}


def export(rows: int, bad: int) -> bytes:
    """A Qualtrics export (Madrid time) spread over days and months, some responses just after
    local midnight (the previous day in UTC); row ``bad`` has an NPS of 11."""
    out = io.StringIO()
    writer = csv.writer(out)
    ids = [json.dumps({"ImportId": n, "timeZone": "Europe/Madrid"}) for n in NAMES]
    writer.writerows([NAMES, NAMES, ids])
    for n in range(rows):
        day = f"2024-{1 + n % 3:02d}-{1 + n % 27:02d} {0 if n % 4 == 0 else 12}:30:00"
        nps = 11 if n == bad else n % 11
        comment = "Muy buena atención" if n % 3 == 0 else ""
        writer.writerow([day, day, 0, 100, 1, day, f"R_{n:06d}", "email", "ES", nps, 1 + n % 5,
                         comment])  # fmt: skip
    return out.getvalue().encode()


def cells() -> tuple[list[Any], list[Any]]:
    daily = sorted(DailyAggregate.objects.values_list("day", "survey_id", "touchpoint_id",
                   "org_unit_id", "channel", "segment", "n", "nps_n", "promoters",
                   "detractors", "csat_n", "csat_sum", "comments"))  # fmt: skip
    monthly = sorted(MonthlyAggregate.objects.values_list("month", "survey_id", "n",
                     "promoters", "detractors", "csat_sum", "comments"))  # fmt: skip
    return daily, monthly


def test_an_import_logs_each_day_once_per_chunk_and_equals_a_full_rebuild(
    survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "CHUNK", 25)  # several chunks
    AggregateChange.objects.all().delete()
    run = do_import_survey_history(survey, export(120, bad=7), fmt="qualtrics", mapping=MAPPING)
    assert (run.total, run.created, run.rejected) == (120, 119, 1)
    assert [r["index"] for r in run.rejects] == [11]  # spreadsheet row of the bad response

    logged = list(AggregateChange.objects.values_list("day", flat=True))
    stored = Response.objects.filter(survey=survey).values_list("submitted_at", flat=True)
    utc_days = {moment.astimezone(dt.UTC).date() for moment in stored}
    assert set(logged) == utc_days
    assert dt.date(2023, 12, 31) in utc_days  # 00:30 on 1 January in Madrid
    if connection.vendor == "sqlite":
        assert len(logged) == len(utc_days)  # a day already logged is not logged again
    else:
        assert len(logged) <= 5 * len(utc_days)  # at most once per chunk (5 chunks)
    assert not BulkWrite.objects.exists()

    process_pending_changes()
    incremental = cells()
    assert sum(row[6] for row in incremental[0]) == 119
    assert sum(row[2] for row in incremental[1]) == 119
    rebuild_all()
    assert cells() == incremental


def test_writes_after_a_bulk_insert_are_logged_by_their_triggers_again(survey: Survey) -> None:
    do_import_survey_history(survey, export(10, bad=-1), fmt="qualtrics", mapping=MAPPING)
    AggregateChange.objects.all().delete()
    ResponseFactory(submitted_at=local(2025, 3, 10))
    assert set(AggregateChange.objects.values_list("day", flat=True)) == {dt.date(2025, 3, 10)}


def test_a_failed_bulk_insert_leaves_neither_mark_nor_log(survey: Survey) -> None:
    AggregateChange.objects.all().delete()
    with pytest.raises(ZeroDivisionError), transaction.atomic(), bulk_insert(Response) as ids:
        ids.append(ResponseFactory(submitted_at=local(2025, 3, 10)).pk)
        assert not AggregateChange.objects.exists()  # the trigger skips it: a bulk write
        raise ZeroDivisionError
    assert not AggregateChange.objects.exists() and not BulkWrite.objects.exists()
    with transaction.atomic(), bulk_insert(Response) as ids:
        ids.append(ResponseFactory(submitted_at=local(2025, 4, 2)).pk)
    assert list(AggregateChange.objects.values_list("day", flat=True)) == [dt.date(2025, 4, 2)]


def test_an_api_batch_logs_its_days_once(survey: Survey) -> None:
    AggregateChange.objects.all().delete()
    rows = [
        ResponseRow(index=n, answers={"nps": n % 11}, submitted_at=local(2025, 5, 1 + n % 3))
        for n in range(30)
    ]
    rows.append(ResponseRow(index=30, answers={"nps": 12}, submitted_at=local(2025, 5, 9)))
    result = bulk_record_responses(survey, rows)
    assert (result.created, [r["index"] for r in result.rejected]) == (30, [30])
    logged = list(AggregateChange.objects.values_list("day", flat=True))
    assert sorted(logged) == [dt.date(2025, 5, 1), dt.date(2025, 5, 2), dt.date(2025, 5, 3)]
    process_pending_changes()
    incremental = cells()
    assert sum(row[6] for row in incremental[0]) == 30
    rebuild_all()
    assert cells() == incremental
