"""The move to one feedback record, run on demo data frozen in the schema before it.

``fixtures/old_schema_demo.json.gz`` was dumped from a three-day ``pulso demo`` database in the
old schema (responses and feedback items as two types, analyses, search documents, cases and
rule applications each pointing at one or the other), trimmed to the customers it references,
plus two cases and three rule applications on feedback items. The test migrates an empty
database back to that schema, loads the dump with the historical models, migrates forward and
accounts for every row.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.apps.registry import Apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from pulso.feedback.models import Feedback
from pulso.loop.models import Case, RuleApplication
from pulso.metrics.models import AggregateChange, SearchDocument
from pulso.surveys.models import Response
from pulso.textanalytics.models import TextAnalysis

FIXTURE = Path(__file__).parent / "fixtures" / "old_schema_demo.json.gz"
OLD_SCHEMA = [
    ("feedback", "0003_import_runs"),
    ("surveys", "0003_response_indexes_cover_foreign_keys"),
    ("textanalytics", "0002_analysis_date_models_themes_jobs"),
    ("metrics", "0005_monthly_without_channel_segment"),
    ("loop", "0002_default_rules_and_slas"),
]

Dump = dict[str, dict[int, dict[str, Any]]]


def _read_dump() -> tuple[list[dict[str, Any]], Dump]:
    objects = json.loads(gzip.decompress(FIXTURE.read_bytes()))
    by_model: Dump = defaultdict(dict)
    for obj in objects:
        by_model[obj["model"]][obj["pk"]] = obj["fields"]
    return objects, by_model


def _load(apps: Apps, objects: list[dict[str, Any]]) -> None:
    """Insert the dump with the historical models: flush their tables, insert, reset ids."""
    models = list(dict.fromkeys(apps.get_model(obj["model"]) for obj in objects))
    tables = [model._meta.db_table for model in models]
    flush = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    connection.ops.execute_sql_flush(flush)
    rows: dict[Any, list[Any]] = defaultdict(list)
    for obj in objects:
        model = apps.get_model(obj["model"])
        values = {
            model._meta.get_field(name).attname: value
            for name, value in obj["fields"].items()
            if not model._meta.get_field(name).many_to_many
        }
        rows[model].append(model(pk=obj["pk"], **values))
    with transaction.atomic():
        for model in models:
            model.objects.bulk_create(rows[model])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _migrate(targets: list[tuple[str, str]] | None = None) -> Apps:
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_old_schema_demo_migrates_to_one_feedback_record_with_every_row_accounted_for() -> None:
    objects, old = _read_dump()
    try:
        _load(_migrate(OLD_SCHEMA), objects)
    finally:
        _migrate()

    responses, items = old["surveys.response"], old["feedback.feedbackitem"]
    assert Feedback.objects.count() == len(responses) + len(items)
    # Feedback items kept their ids and became unsolicited records.
    for pk, fields in items.items():
        record = Feedback.objects.get(pk=pk)
        assert (record.source, record.text) == (fields["source"], fields["text"])
    assert Feedback.objects.unsolicited().count() == len(items)
    # Each response is recorded as one survey record holding what every consumer reads.
    record_of = dict(Response.objects.values_list("pk", "feedback_id"))
    assert set(record_of) == set(responses)
    assert len(set(record_of.values())) == len(responses)
    for pk, fields in responses.items():
        record = Feedback.objects.get(pk=record_of[pk])
        assert record.source == "survey" and record.external_id is None
        assert record.text == fields["comment"]
        assert (record.nps, record.csat, record.ces) == (
            fields["nps"],
            fields["csat"],
            fields["ces"],
        )
        assert (record.org_unit_id, record.touchpoint_id, record.customer_id) == (
            fields["org_unit"],
            fields["touchpoint"],
            fields["customer"],
        )
        assert record.journey_id == fields["journey"] and record.stage_id is not None
        assert record.received_at.isoformat().startswith(fields["submitted_at"][:19])

    def expected(fields: dict[str, Any]) -> int:
        """The record a row must point at now: its response's, or its (kept) item's id."""
        if fields.get("response"):
            return record_of[fields["response"]]
        return int(fields["feedback_item"])

    for label, model in [
        ("textanalytics.textanalysis", TextAnalysis),
        ("metrics.searchdocument", SearchDocument),
        ("loop.case", Case),
        ("loop.ruleapplication", RuleApplication),
    ]:
        now = dict(model.objects.values_list("pk", "feedback_id"))
        wanted = {pk: expected(fields) for pk, fields in old[label].items()}
        assert now == wanted, label
    assert Case.objects.filter(feedback__in=Feedback.objects.unsolicited()).count() == 2
    assert RuleApplication.objects.exclude(feedback__source="survey").count() == 3

    # The aggregate-change triggers exist again on the new schema.
    AggregateChange.objects.all().delete()
    analysis = TextAnalysis.objects.filter(feedback__source="survey").first()
    assert analysis is not None
    TextAnalysis.objects.filter(pk=analysis.pk).update(sentiment="negative")
    day = timezone.localtime(analysis.feedback.received_at).date()
    assert AggregateChange.objects.filter(
        day__in=[day, analysis.feedback.received_at.date()]
    ).exists()
