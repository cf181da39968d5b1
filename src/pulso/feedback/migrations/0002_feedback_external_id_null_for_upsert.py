# NULL instead of "" for "no external id", so that (source, external_id) can be a plain unique
# constraint: bulk upserts (ON CONFLICT) need a non-partial one.

from django.db import migrations, models


def empty_to_null(apps, schema_editor):
    FeedbackItem = apps.get_model("feedback", "FeedbackItem")
    FeedbackItem.objects.filter(external_id="").update(external_id=None)


def null_to_empty(apps, schema_editor):
    FeedbackItem = apps.get_model("feedback", "FeedbackItem")
    FeedbackItem.objects.filter(external_id__isnull=True).update(external_id="")


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='feedbackitem',
            name='unique_feedback_external_id_per_source',
        ),
        migrations.AlterField(
            model_name='feedbackitem',
            name='external_id',
            field=models.CharField(blank=True, default=None, max_length=150, null=True, verbose_name='external id'),
        ),
        migrations.RunPython(empty_to_null, null_to_empty),
        migrations.AddConstraint(
            model_name='feedbackitem',
            constraint=models.UniqueConstraint(fields=('source', 'external_id'), name='unique_feedback_external_id_per_source'),
        ),
    ]
