from django.db import migrations


def load(apps, schema_editor):
    from pulso.loop.defaults import load_default_rules

    load_default_rules(apps.get_model("loop", "Rule"), apps.get_model("loop", "SlaPolicy"))


class Migration(migrations.Migration):
    dependencies = [("loop", "0001_cases_rules_and_deliveries")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
