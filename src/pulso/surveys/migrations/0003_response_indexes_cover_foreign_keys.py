"""Drop single-column indexes that composite indexes already cover.

Responses are looked up by touchpoint, journey and org unit through the (column, submitted_at)
indexes, and answers by response through the unique (response, question) index: the
single-column indexes only added work to every insert. The indexes are dropped by name
(the names Django gave them, the same on SQLite and PostgreSQL) rather than by AlterField,
which on SQLite would rebuild the responses table and lose the metrics triggers on it.
"""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [
    ("surveys_response_journey_id_f3a260d6", "surveys_response", "journey_id"),
    ("surveys_response_org_unit_id_a79d40d9", "surveys_response", "org_unit_id"),
    ("surveys_response_touchpoint_id_476ab856", "surveys_response", "touchpoint_id"),
    ("surveys_answer_response_id_5416c873", "surveys_answer", "response_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("journeys", "0001_initial"),
        ("surveys", "0002_branding"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name};",
                    reverse_sql=f"CREATE INDEX {name} ON {table} ({column});",
                )
                for name, table, column in DROPPED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="response",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="surveys.response",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="journey",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="journeys.journey",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="org_unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="accounts.orgunit",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="touchpoint",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="journeys.touchpoint",
                    ),
                ),
            ],
        )
    ]
