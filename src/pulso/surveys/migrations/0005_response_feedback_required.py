import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_response_feedback_record")]

    operations = [
        migrations.AlterField(
            model_name="response",
            name="feedback",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="response",
                to="feedback.feedback",
            ),
        ),
    ]
