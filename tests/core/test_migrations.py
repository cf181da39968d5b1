"""``ScheduledJob`` moved from the closed loop to core: existing rows survive the move."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pulso.core.models import ScheduledJob

BEFORE = [("loop", "0003_cases_and_rule_applications_of_feedback_record"), ("core", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_scheduled_jobs_keep_their_rows_and_edited_crons_when_moved_to_core() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old_model = executor.loader.project_state(BEFORE).apps.get_model("loop", "ScheduledJob")
    old_model.objects.create(name="loop.daily", cron="0 8 * * *", is_active=False)

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    job = ScheduledJob.objects.get()
    assert (job.name, job.cron, job.is_active) == ("loop.daily", "0 8 * * *", False)
    assert ScheduledJob._meta.db_table in connection.introspection.table_names()
    assert "loop_scheduledjob" not in connection.introspection.table_names()
    ScheduledJob.objects.create(name="metrics.refresh", cron="*/5 * * * *")  # ids still served
