"""Drop the aggregate-change triggers while responses gain their feedback records.

SQLite rebuilds a table to add a unique column or drop a foreign key, which would silently
lose the triggers on it; the backfill's updates would also log every day as changed. Migration
``0008`` creates them again on the new schema.
"""

import importlib

from django.db import migrations

RESPONSES = importlib.import_module("pulso.metrics.migrations.0002_response_change_triggers")
ANALYSES = importlib.import_module("pulso.metrics.migrations.0004_text_analysis_change_triggers")


def forward(apps, schema_editor) -> None:
    ANALYSES.backward(apps, schema_editor)
    RESPONSES.backward(apps, schema_editor)


def backward(apps, schema_editor) -> None:
    RESPONSES.forward(apps, schema_editor)
    ANALYSES.forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0005_monthly_without_channel_segment")]
    run_before = [
        ("feedback", "0004_feedback_record"),
        ("surveys", "0004_response_feedback_record"),
    ]

    operations = [migrations.RunPython(forward, backward)]
