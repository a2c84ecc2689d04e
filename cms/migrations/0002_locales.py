"""Content locales: Kazakh and English beside the default Russian."""

from django.db import migrations

LANGUAGES = ["ru", "kk", "en"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
