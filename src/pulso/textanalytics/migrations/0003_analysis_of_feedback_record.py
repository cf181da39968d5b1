"""Text analyses reference the analysed feedback record through one foreign key.

Analyses of survey responses now point at the response's feedback record; analyses of feedback
items keep theirs (items kept their ids when they became records).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def link_responses(apps, schema_editor) -> None:
    TextAnalysis = apps.get_model("textanalytics", "TextAnalysis")
    Response = apps.get_model("surveys", "Response")
    record = Response.objects.filter(pk=OuterRef("response_id")).values("feedback_id")[:1]
    TextAnalysis.objects.filter(response__isnull=False).update(feedback_item_id=Subquery(record))
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now, so that the table can be altered below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def unlink_responses(apps, schema_editor) -> None:
    TextAnalysis = apps.get_model("textanalytics", "TextAnalysis")
    Response = apps.get_model("surveys", "Response")
    response = Response.objects.filter(feedback_id=OuterRef("feedback_item_id")).values("pk")[:1]
    linked = TextAnalysis.objects.filter(feedback_item__source="survey")
    linked.update(response_id=Subquery(response))
    linked.update(feedback_item_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_feedback_record"),
        ("surveys", "0004_response_feedback_record"),
        ("textanalytics", "0002_analysis_date_models_themes_jobs"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="textanalysis", name="analysis_of_exactly_one_item"),
        migrations.RunPython(link_responses, unlink_responses),
        migrations.RemoveField(model_name="textanalysis", name="response"),
        migrations.RenameField(
            model_name="textanalysis", old_name="feedback_item", new_name="feedback"
        ),
        migrations.AlterField(
            model_name="textanalysis",
            name="feedback",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="analysis",
                to="feedback.feedback",
            ),
        ),
    ]
