"""PostgreSQL triggers log every changed day, even one already in the log.

They skipped a day already logged; a refresh deleting that entry while a writer's transaction
was still open then lost the writer's change, which is why refreshes used to lock the
responses table. Now each statement logs its days, a refresh deletes only the entries it read,
and writers are never held back. SQLite is unchanged: its writers are serialised anyway.
"""

import importlib

from django.db import migrations

RESPONSES = importlib.import_module("pulso.metrics.migrations.0002_response_change_triggers")
ANALYSES = importlib.import_module("pulso.metrics.migrations.0008_triggers_on_feedback_record")


def _log(rows: str, of_analyses: bool = False) -> str:
    day = "(r.submitted_at AT TIME ZONE 'UTC')::date"
    analyses = f"{rows} a JOIN surveys_response r ON r.feedback_id = a.feedback_id"
    source = analyses if of_analyses else f"{rows} r"
    return f"INSERT INTO metrics_aggregatechange (day) SELECT DISTINCT {day} FROM {source};"


def _function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} RETURN NULL; END $$;"
    )


ALWAYS_LOG = [
    _function("metrics_log_new_rows", _log("new_rows")),
    _function("metrics_log_old_rows", _log("old_rows")),
    _function("metrics_log_changed_rows", _log("old_rows") + _log("new_rows")),
    _function("metrics_log_new_analyses", _log("new_rows", of_analyses=True)),
    _function("metrics_log_old_analyses", _log("old_rows", of_analyses=True)),
    _function(
        "metrics_log_changed_analyses",
        _log("old_rows", of_analyses=True) + _log("new_rows", of_analyses=True),
    ),
]
# The functions as migrations 0002 and 0008 created them (the CREATE TRIGGER lines aside).
SKIP_LOGGED = [sql for sql in RESPONSES.PG_FORWARD + ANALYSES.PG_FORWARD if "FUNCTION" in sql[:40]]


def _run(schema_editor, statements: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, ALWAYS_LOG)


def backward(apps, schema_editor) -> None:
    _run(schema_editor, SKIP_LOGGED)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0008_triggers_on_feedback_record")]

    operations = [migrations.RunPython(forward, backward)]
