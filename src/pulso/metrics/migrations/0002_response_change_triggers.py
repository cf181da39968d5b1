"""Triggers that log the UTC day of every response insert, update and delete.

They make the aggregates correct whatever writes responses (ORM, bulk_create, raw SQL).
SQLite gets row triggers that skip days already logged; PostgreSQL gets statement triggers
with transition tables, so a bulk insert logs each day once per statement.
"""

from django.db import migrations

WATCHED = (
    "submitted_at, is_complete, nps, csat, ces, comment, survey_id, journey_id, "
    "touchpoint_id, org_unit_id, channel, segment"
)


def _sqlite_insert(row: str) -> str:
    day = f"date({row}.submitted_at)"
    return (
        f"INSERT INTO metrics_aggregatechange (day) SELECT {day} WHERE NOT EXISTS "
        f"(SELECT 1 FROM metrics_aggregatechange WHERE day = {day});"
    )


SQLITE_FORWARD = [
    "CREATE TRIGGER metrics_response_inserted AFTER INSERT ON surveys_response "
    f"BEGIN {_sqlite_insert('NEW')} END;",
    f"CREATE TRIGGER metrics_response_updated AFTER UPDATE OF {WATCHED} ON surveys_response "
    f"BEGIN {_sqlite_insert('OLD')} {_sqlite_insert('NEW')} END;",
    "CREATE TRIGGER metrics_response_deleted AFTER DELETE ON surveys_response "
    f"BEGIN {_sqlite_insert('OLD')} END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS metrics_response_inserted;",
    "DROP TRIGGER IF EXISTS metrics_response_updated;",
    "DROP TRIGGER IF EXISTS metrics_response_deleted;",
]


def _pg_insert(table: str) -> str:
    day = "(r.submitted_at AT TIME ZONE 'UTC')::date"
    return (
        f"INSERT INTO metrics_aggregatechange (day) SELECT DISTINCT {day} FROM {table} r "
        f"WHERE NOT EXISTS (SELECT 1 FROM metrics_aggregatechange c WHERE c.day = {day});"
    )


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} RETURN NULL; END $$;"
    )


PG_FORWARD = [
    _pg_function("metrics_log_new_rows", _pg_insert("new_rows")),
    _pg_function("metrics_log_old_rows", _pg_insert("old_rows")),
    _pg_function("metrics_log_changed_rows", _pg_insert("old_rows") + _pg_insert("new_rows")),
    "CREATE TRIGGER metrics_response_inserted AFTER INSERT ON surveys_response "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION metrics_log_new_rows();",
    "CREATE TRIGGER metrics_response_updated AFTER UPDATE ON surveys_response "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION metrics_log_changed_rows();",
    "CREATE TRIGGER metrics_response_deleted AFTER DELETE ON surveys_response "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION metrics_log_old_rows();",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS metrics_response_inserted ON surveys_response;",
    "DROP TRIGGER IF EXISTS metrics_response_updated ON surveys_response;",
    "DROP TRIGGER IF EXISTS metrics_response_deleted ON surveys_response;",
    "DROP FUNCTION IF EXISTS metrics_log_new_rows();",
    "DROP FUNCTION IF EXISTS metrics_log_old_rows();",
    "DROP FUNCTION IF EXISTS metrics_log_changed_rows();",
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
        ("metrics", "0001_aggregates_targets_search"),
        ("surveys", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
