"""Triggers that log the UTC day of a response whose text analysis is written or removed.

The aggregates count analysed and negative comments, so a new or changed sentiment must
rebuild the day of its response, whoever writes the analyses (bulk jobs included).
"""

from django.db import migrations

TABLE = "textanalytics_textanalysis"


def _sqlite_insert(row: str) -> str:
    day = "date(r.submitted_at)"
    return (
        f"INSERT INTO metrics_aggregatechange (day) SELECT {day} FROM surveys_response r "
        f"WHERE r.id = {row}.response_id AND NOT EXISTS "
        f"(SELECT 1 FROM metrics_aggregatechange c WHERE c.day = {day});"
    )


SQLITE_FORWARD = [
    f"CREATE TRIGGER metrics_analysis_inserted AFTER INSERT ON {TABLE} "
    f"BEGIN {_sqlite_insert('NEW')} END;",
    f"CREATE TRIGGER metrics_analysis_updated AFTER UPDATE OF sentiment, response_id ON {TABLE} "
    f"BEGIN {_sqlite_insert('OLD')} {_sqlite_insert('NEW')} END;",
    f"CREATE TRIGGER metrics_analysis_deleted AFTER DELETE ON {TABLE} "
    f"BEGIN {_sqlite_insert('OLD')} END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS metrics_analysis_inserted;",
    "DROP TRIGGER IF EXISTS metrics_analysis_updated;",
    "DROP TRIGGER IF EXISTS metrics_analysis_deleted;",
]


def _pg_insert(rows: str) -> str:
    day = "(r.submitted_at AT TIME ZONE 'UTC')::date"
    return (
        f"INSERT INTO metrics_aggregatechange (day) SELECT DISTINCT {day} FROM {rows} a "
        f"JOIN surveys_response r ON r.id = a.response_id "
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
    f"CREATE TRIGGER metrics_analysis_inserted AFTER INSERT ON {TABLE} "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION metrics_log_new_analyses();",
    f"CREATE TRIGGER metrics_analysis_updated AFTER UPDATE ON {TABLE} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION metrics_log_changed_analyses();",
    f"CREATE TRIGGER metrics_analysis_deleted AFTER DELETE ON {TABLE} "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION metrics_log_old_analyses();",
]
PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS metrics_analysis_inserted ON {TABLE};",
    f"DROP TRIGGER IF EXISTS metrics_analysis_updated ON {TABLE};",
    f"DROP TRIGGER IF EXISTS metrics_analysis_deleted ON {TABLE};",
    "DROP FUNCTION IF EXISTS metrics_log_new_analyses();",
    "DROP FUNCTION IF EXISTS metrics_log_old_analyses();",
    "DROP FUNCTION IF EXISTS metrics_log_changed_analyses();",
]
STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (PG_FORWARD, PG_BACKWARD),
}


def _run(schema_editor, which: int) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError("Pulso's metrics triggers support SQLite and PostgreSQL only.")
    for sql in statements[which]:
        schema_editor.execute(sql)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def backward(apps, schema_editor) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0003_sentiment_counts"),
        ("textanalytics", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
