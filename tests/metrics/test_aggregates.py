"""The aggregates follow the responses, whoever writes them (ORM, bulk_create, deletes)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pulso.metrics.aggregates import process_pending_changes, rebuild_all
from pulso.metrics.filters import MetricFilter
from pulso.metrics.models import AggregateChange, DailyAggregate, MonthlyAggregate
from pulso.metrics.queries import total, totals_by
from pulso.surveys.models import Response
from tests.metrics.factories import ResponseFactory, SurveyFactory, local

pytestmark = pytest.mark.django_db

YEAR = MetricFilter(start=date(2025, 1, 1), end=date(2025, 12, 31))


def test_triggers_log_inserts_updates_and_deletes(org: Any) -> None:
    response = ResponseFactory(submitted_at=local(2025, 3, 10), org_unit=org.north_store)
    assert set(AggregateChange.objects.values_list("day", flat=True)) == {date(2025, 3, 10)}
    AggregateChange.objects.all().delete()
    Response.objects.filter(pk=response.pk).update(submitted_at=local(2025, 4, 2))
    logged = set(AggregateChange.objects.values_list("day", flat=True))
    assert logged == {date(2025, 3, 10), date(2025, 4, 2)}
    AggregateChange.objects.all().delete()
    response.delete()
    assert set(AggregateChange.objects.values_list("day", flat=True)) == {date(2025, 4, 2)}


def test_bulk_created_late_and_deleted_responses_change_the_numbers(
    org: Any, personas: Any
) -> None:
    survey = SurveyFactory()
    ResponseFactory(survey=survey, nps=10, submitted_at=local(2025, 5, 3), org_unit=org.north_store)
    process_pending_changes()
    assert total(YEAR, personas.admin).promoters == 1
    assert not AggregateChange.objects.exists()
    late = Response.objects.bulk_record(
        [
            ResponseFactory.build(survey=survey, nps=2, submitted_at=local(2025, 2, 1, 23)),
            ResponseFactory.build(survey=survey, nps=0, submitted_at=local(2025, 5, 31, 23)),
        ]
    )
    process_pending_changes()
    after_late = total(YEAR, personas.admin)
    assert (after_late.n, after_late.promoters, after_late.detractors) == (3, 1, 2)
    Response.objects.filter(pk=late[0].pk).delete()
    process_pending_changes()
    after_delete = total(YEAR, personas.admin)
    assert (after_delete.n, after_delete.detractors) == (2, 1)
    months = totals_by(YEAR, personas.admin, by="month")
    assert months[(date(2025, 5, 1),)].n == 2  # 23:00 on 31 May stays in May (local time)


def test_incremental_aggregates_equal_a_full_rebuild(org: Any, personas: Any) -> None:
    survey = SurveyFactory()
    for day in range(1, 29, 3):
        ResponseFactory(
            survey=survey,
            nps=day % 11,
            csat=day % 5 + 1,
            ces=day % 7 + 1,
            submitted_at=local(2025, 6, day),
            org_unit=org.south_store,
            comment="bien" if day % 2 else "",
        )
    process_pending_changes()
    incremental = sorted(DailyAggregate.objects.values_list("day", "n", "promoters", "csat_sum"))
    monthly = list(MonthlyAggregate.objects.values_list("month", "n", "ces_easy", "comments"))
    rebuild_all()
    assert (
        sorted(DailyAggregate.objects.values_list("day", "n", "promoters", "csat_sum"))
        == incremental
    )
    assert (
        list(MonthlyAggregate.objects.values_list("month", "n", "ces_easy", "comments")) == monthly
    )
    assert monthly[0][1] == 10


def test_text_analyses_written_later_change_the_negative_share(org: Any, personas: Any) -> None:
    from pulso.metrics import dashboards
    from pulso.textanalytics.models import TextAnalysis

    june = MetricFilter(start=date(2025, 6, 1), end=date(2025, 6, 30))
    first, second = (
        ResponseFactory(comment=text, submitted_at=local(2025, 6, 5), org_unit=org.north_store)
        for text in ["Muy mal", "Todo bien"]
    )
    process_pending_changes()
    assert dashboards.scorecard(june, personas.admin).extra["negative_comments"] is None
    TextAnalysis.objects.bulk_create(
        [TextAnalysis(feedback=first.feedback, sentiment="negative"),
         TextAnalysis(feedback=second.feedback, sentiment="positive")]
    )  # fmt: skip
    process_pending_changes()
    assert dashboards.scorecard(june, personas.admin).extra["negative_comments"] == 50.0
    TextAnalysis.objects.filter(feedback=second.feedback).update(sentiment="negative")
    process_pending_changes()
    assert dashboards.scorecard(june, personas.admin).extra["negative_comments"] == 100.0
    TextAnalysis.objects.filter(feedback=first.feedback).delete()
    process_pending_changes()
    card = dashboards.scorecard(june, personas.admin)
    assert (card.extra["negative_comments"], card.extra["analysed_comments"]) == (100.0, 1)


def test_a_refresh_holds_no_table_lock_that_would_block_submissions(org: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ResponseFactory(submitted_at=local(2025, 6, 5), org_unit=org.north_store)
    with CaptureQueriesContext(connection) as captured:
        assert process_pending_changes() >= 1
    statements = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    assert statements and not [s for s in statements if s.startswith("LOCK")]
    assert not AggregateChange.objects.exists()
