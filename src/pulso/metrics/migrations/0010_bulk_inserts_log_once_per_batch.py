"""Rows inserted in bulk (``pulso.core.bulk.bulk_insert``) skip the response insert trigger.

The bulk writer logs the days of the whole batch once instead
(:func:`pulso.metrics.aggregates.log_inserted_responses`). Other inserts, and every update and
delete, are logged by the triggers as before.
"""

import importlib

from django.db import migrations

RESPONSES = importlib.import_module("pulso.metrics.migrations.0002_response_change_triggers")
ALWAYS_LOG = importlib.import_module("pulso.metrics.migrations.0009_pg_triggers_always_log")

NOT_BULK = "NOT EXISTS (SELECT 1 FROM core_bulkwrite)"
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS metrics_response_inserted;",
    "CREATE TRIGGER metrics_response_inserted AFTER INSERT ON surveys_response "
    f"WHEN {NOT_BULK} BEGIN {RESPONSES._sqlite_insert('NEW')} END;",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS metrics_response_inserted;", RESPONSES.SQLITE_FORWARD[0]]
PG_FORWARD = [
    ALWAYS_LOG._function(
        "metrics_log_new_rows",
        "IF current_setting('pulso.bulk_write', true) = 'on' THEN RETURN NULL; END IF; "
        + ALWAYS_LOG._log("new_rows"),
    )
]
PG_BACKWARD = [ALWAYS_LOG.ALWAYS_LOG[0]]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for sql in statements[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD})


def backward(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_bulk_write_mark"),
        ("metrics", "0009_pg_triggers_always_log"),
    ]

    operations = [migrations.RunPython(forward, backward)]
