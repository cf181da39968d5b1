"""Mark the records of partial responses as incomplete (the record now says so itself)."""

from django.db import migrations

FORWARD = (
    "UPDATE feedback_feedback SET is_complete = FALSE WHERE id IN "
    "(SELECT feedback_id FROM surveys_response WHERE NOT is_complete)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_response_feedback_required"),
        ("feedback", "0005_record_completion_and_period_indexes"),
    ]

    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
