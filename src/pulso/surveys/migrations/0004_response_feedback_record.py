"""Each survey response is recorded as a feedback record (backfilled here, set-based).

Every response gets one ``feedback_feedback`` row with its unit, journey, stage, touchpoint,
channel (the touchpoint's), customer, language, comment, scores and date. The new records are
matched back to their responses through a temporary external id, then the id is cleared.
"""

import django.db.models.deletion
from django.db import migrations, models

TAG = "'pulso-backfill:' || CAST({} AS VARCHAR(20))"

INSERT_RECORDS = (
    "INSERT INTO feedback_feedback (source, source_name, external_id, channel, text, rating, "
    "rating_scale_max, author, customer_id, touchpoint_id, org_unit_id, journey_id, stage_id, "
    "language, nps, csat, ces, received_at, created_at) "
    f"SELECT 'survey', '', {TAG.format('r.id')}, t.channel, r.comment, NULL, 5, '', "
    "r.customer_id, r.touchpoint_id, r.org_unit_id, r.journey_id, t.stage_id, r.language, "
    "r.nps, r.csat, r.ces, r.submitted_at, r.submitted_at "
    "FROM surveys_response r JOIN journeys_touchpoint t ON t.id = r.touchpoint_id "
    "WHERE r.feedback_id IS NULL ORDER BY r.id"
)
LINK_RESPONSES = (
    "UPDATE surveys_response SET feedback_id = (SELECT f.id FROM feedback_feedback f "
    f"WHERE f.source = 'survey' AND f.external_id = {TAG.format('surveys_response.id')}) "
    "WHERE feedback_id IS NULL"
)
# Every survey record is one of those just made (the kind is new in this release).
CLEAR_TAGS = "UPDATE feedback_feedback SET external_id = NULL WHERE source = 'survey'"


def record_responses(apps, schema_editor) -> None:
    for sql in (INSERT_RECORDS, LINK_RESPONSES, CLEAR_TAGS):
        schema_editor.execute(sql)


def forget_records(apps, schema_editor) -> None:
    Feedback = apps.get_model("feedback", "Feedback")
    Response = apps.get_model("surveys", "Response")
    ids = list(Response.objects.exclude(feedback=None).values_list("feedback_id", flat=True))
    Response.objects.update(feedback=None)
    Feedback.objects.filter(source="survey", pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_feedback_record"),
        ("surveys", "0003_response_indexes_cover_foreign_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="feedback",
            field=models.OneToOneField(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="response",
                to="feedback.feedback",
            ),
        ),
        migrations.RunPython(record_responses, forget_records),
    ]
