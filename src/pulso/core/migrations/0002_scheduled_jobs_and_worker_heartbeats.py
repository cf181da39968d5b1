"""Scheduled jobs become shared infrastructure; workers report that they are alive.

The ``ScheduledJob`` model moves here from the closed-loop app. Only the migration state is
created: the table already exists as ``loop_scheduledjob`` and migration
``loop.0004_scheduled_jobs_move_to_core`` renames it to ``core_scheduledjob``, keeping every
row (and the cron expressions administrators edited).
"""

import django.utils.timezone
from django.db import migrations, models

import pulso.core.models


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ScheduledJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                        ("cron", models.CharField(max_length=100, validators=[pulso.core.models.validate_cron], verbose_name="cron expression")),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        ("last_run_at", models.DateTimeField(blank=True, null=True, verbose_name="last run")),
                        ("next_run_at", models.DateTimeField(blank=True, null=True, verbose_name="next run")),
                    ],
                    options={
                        "verbose_name": "scheduled job",
                        "verbose_name_plural": "scheduled jobs",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("worker_id", models.CharField(max_length=64, unique=True, verbose_name="worker")),
                ("hostname", models.CharField(max_length=255, verbose_name="host")),
                ("pid", models.PositiveIntegerField(verbose_name="process id")),
                ("started_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="started")),
                ("seen_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="last seen")),
            ],
            options={
                "verbose_name": "worker",
                "verbose_name_plural": "workers",
                "ordering": ["-seen_at"],
            },
        ),
    ]  # fmt: skip
