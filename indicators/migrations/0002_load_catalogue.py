from django.db import migrations


def load_catalogue(apps, schema_editor):
    from indicators.catalogue import sync_catalogue

    sync_catalogue(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
