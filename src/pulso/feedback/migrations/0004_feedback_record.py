"""Feedback items become the one feedback record of every source (survey responses included).

The table is renamed, existing items keep their ids (so analyses, search documents, cases and
rule applications that pointed at an item still point at the same row), and the record gains
the journey, stage and normalised scores that survey responses carry. It runs after the
migrations that created foreign keys to ``feedback.FeedbackItem`` by that name.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("customers", "0002_unsubscribe_and_imports"),
        ("feedback", "0003_import_runs"),
        ("journeys", "0001_initial"),
        ("loop", "0002_default_rules_and_slas"),
        ("textanalytics", "0002_analysis_date_models_themes_jobs"),
    ]

    operations = [
        migrations.RenameModel("FeedbackItem", "Feedback"),
        migrations.AlterModelOptions(
            name="feedback",
            options={
                "ordering": ["-received_at"],
                "verbose_name": "feedback",
                "verbose_name_plural": "feedback",
            },
        ),
        migrations.AlterField(
            model_name="feedback",
            name="source",
            field=models.CharField(
                choices=[
                    ("survey", "Survey response"),
                    ("review", "Review"),
                    ("social", "Social media post"),
                    ("contact_centre", "Contact-centre note"),
                    ("email", "Email"),
                    ("chat", "Chat transcript"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="customer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="feedback",
                to="customers.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="org_unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="feedback",
                to="accounts.orgunit",
                verbose_name="org unit",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="touchpoint",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="feedback",
                to="journeys.touchpoint",
                verbose_name="touchpoint",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="stored"
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="journey",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="journeys.journey",
                verbose_name="journey",
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="stage",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="journeys.stage",
                verbose_name="stage",
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="nps",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="NPS score"),
        ),
        migrations.AddField(
            model_name="feedback",
            name="csat",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="CSAT score"
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="ces",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="CES score"),
        ),
    ]
