"""Create the aggregate-change triggers again, analyses now reaching responses via the record.

Same triggers as migrations ``0002`` (responses) and ``0004`` (analyses); the analysis ones
find the response of an analysis through its feedback record instead of a response column.
"""

import importlib

from django.db import migrations

RESPONSES = importlib.import_module("pulso.metrics.migrations.0002_response_change_triggers")
ANALYSES = importlib.import_module("pulso.metrics.migrations.0004_text_analysis_change_triggers")
TABLE = "textanalytics_textanalysis"


def _sqlite_insert(row: str) -> str:
    day = "date(r.submitted_at)"
    return (
        f"INSERT INTO metrics_aggregatechange (day) SELECT {day} FROM surveys_response r "
        f"WHERE r.feedback_id = {row}.feedback_id AND NOT EXISTS "
        f"(SELECT 1 FROM metrics_aggregatechange c WHERE c.day = {day});"
    )


SQLITE_FORWARD = [
    f"CREATE TRIGGER metrics_analysis_inserted AFTER INSERT ON {TABLE} "
    f"BEGIN {_sqlite_insert('NEW')} END;",
    f"CREATE TRIGGER metrics_analysis_updated AFTER UPDATE OF sentiment, feedback_id ON {TABLE} "
    f"BEGIN {_sqlite_insert('OLD')} {_sqlite_insert('NEW')} END;",
    f"CREATE TRIGGER metrics_analysis_deleted AFTER DELETE ON {TABLE} "
    f"BEGIN {_sqlite_insert('OLD')} END;",
]


def _pg_insert(rows: str) -> str:
    day = "(r.submitted_at AT TIME ZONE 'UTC')::date"
    return (
        f"INSERT INTO metrics_aggregatechange (day) SELECT DISTINCT {day} FROM {rows} a "
        f"JOIN surveys_response r ON r.feedback_id = a.feedback_id "
        f"WHERE NOT EXISTS (SELECT 1 FROM metrics_aggregatechange c WHERE c.day = {day});"
    )


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} RETURN NULL; END $$;"
    )


PG_FORWARD = [
    _pg_function("metrics_log_new_analyses", _pg_insert("new_rows")),
    _pg_function("metrics_log_old_analyses", _pg_insert("old_rows")),
    _pg_function(
        "metrics_log_changed_analyses", _pg_insert("old_rows") + _pg_insert("new_rows")
    ),
    *ANALYSES.PG_FORWARD[3:],  # the CREATE TRIGGER statements, unchanged
]
STATEMENTS = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}


def forward(apps, schema_editor) -> None:
    RESPONSES.forward(apps, schema_editor)
    for sql in STATEMENTS[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


def backward(apps, schema_editor) -> None:
    ANALYSES.backward(apps, schema_editor)
    RESPONSES.backward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("loop", "0003_cases_and_rule_applications_of_feedback_record"),
        ("metrics", "0007_search_document_of_feedback_record"),
        ("surveys", "0005_response_feedback_required"),
        ("textanalytics", "0003_analysis_of_feedback_record"),
    ]

    operations = [migrations.RunPython(forward, backward)]
