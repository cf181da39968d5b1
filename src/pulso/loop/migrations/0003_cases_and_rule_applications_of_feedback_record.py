"""Cases and rule applications reference their feedback record through one foreign key."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def link_responses(apps, schema_editor) -> None:
    Response = apps.get_model("surveys", "Response")
    record = Response.objects.filter(pk=OuterRef("response_id")).values("feedback_id")[:1]
    for name in ("Case", "RuleApplication"):
        Model = apps.get_model("loop", name)
        Model.objects.filter(response__isnull=False).update(feedback_item_id=Subquery(record))
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now, so that the tables can be altered below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def unlink_responses(apps, schema_editor) -> None:
    Response = apps.get_model("surveys", "Response")
    response = Response.objects.filter(feedback_id=OuterRef("feedback_item_id")).values("pk")[:1]
    for name in ("Case", "RuleApplication"):
        linked = apps.get_model("loop", name).objects.filter(feedback_item__source="survey")
        linked.update(response_id=Subquery(response))
        linked.update(feedback_item_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_feedback_record"),
        ("loop", "0002_default_rules_and_slas"),
        ("surveys", "0004_response_feedback_record"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="ruleapplication", name="unique_rule_per_response"),
        migrations.RemoveConstraint(
            model_name="ruleapplication", name="unique_rule_per_feedback_item"
        ),
        migrations.RemoveConstraint(
            model_name="ruleapplication", name="rule_application_of_exactly_one_item"
        ),
        migrations.RunPython(link_responses, unlink_responses),
        migrations.RemoveField(model_name="case", name="response"),
        migrations.RenameField(model_name="case", old_name="feedback_item", new_name="feedback"),
        migrations.AlterField(
            model_name="case",
            name="feedback",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="feedback.feedback",
                verbose_name="feedback",
            ),
        ),
        migrations.RemoveField(model_name="ruleapplication", name="response"),
        migrations.RenameField(
            model_name="ruleapplication", old_name="feedback_item", new_name="feedback"
        ),
        migrations.AlterField(
            model_name="ruleapplication",
            name="feedback",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="feedback.feedback",
            ),
        ),
        migrations.AddConstraint(
            model_name="ruleapplication",
            constraint=models.UniqueConstraint(
                fields=("rule", "feedback"), name="unique_rule_per_feedback"
            ),
        ),
    ]
