"""Search documents reference the indexed feedback record through one foreign key."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def link_responses(apps, schema_editor) -> None:
    SearchDocument = apps.get_model("metrics", "SearchDocument")
    Response = apps.get_model("surveys", "Response")
    record = Response.objects.filter(pk=OuterRef("response_id")).values("feedback_id")[:1]
    SearchDocument.objects.filter(response__isnull=False).update(feedback_item_id=Subquery(record))
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now, so that the table can be altered below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def unlink_responses(apps, schema_editor) -> None:
    SearchDocument = apps.get_model("metrics", "SearchDocument")
    Response = apps.get_model("surveys", "Response")
    response = Response.objects.filter(feedback_id=OuterRef("feedback_item_id")).values("pk")[:1]
    linked = SearchDocument.objects.filter(feedback_item__source="survey")
    linked.update(response_id=Subquery(response))
    linked.update(feedback_item_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_feedback_record"),
        ("metrics", "0006_pause_triggers_for_feedback_record"),
        ("surveys", "0004_response_feedback_record"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="searchdocument", name="search_document_of_exactly_one_item"
        ),
        migrations.RunPython(link_responses, unlink_responses),
        migrations.RemoveField(model_name="searchdocument", name="response"),
        migrations.RenameField(
            model_name="searchdocument", old_name="feedback_item", new_name="feedback"
        ),
        migrations.AlterField(
            model_name="searchdocument",
            name="feedback",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="search_document",
                to="feedback.feedback",
            ),
        ),
    ]
