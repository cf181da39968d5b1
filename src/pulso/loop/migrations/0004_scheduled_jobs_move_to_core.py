"""``ScheduledJob`` now belongs to the shared ``core`` app: rename its table, keep its rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("loop", "0003_cases_and_rule_applications_of_feedback_record"),
        ("core", "0002_scheduled_jobs_and_worker_heartbeats"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="scheduledjob", table="core_scheduledjob"),
            ],
            state_operations=[migrations.DeleteModel(name="scheduledjob")],
        ),
    ]
