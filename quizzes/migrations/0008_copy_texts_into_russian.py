"""Copy every quiz text written before texts had a column per language into ``_ru``.

The texts are copied into the column of settings.LANGUAGE_CODE (Russian) whatever
language they were written in: nothing recorded which language an imported question
was in. A question imported in Kazakh is therefore "Russian" until a trainer moves
its text to the Kazakh column in the admin.
"""

from django.conf import settings
from django.db import migrations
from django.db.models import F

TEXTS = {
    "question": ("text", "feedback_correct", "feedback_incorrect", "explanation"),
    "choice": ("text", "feedback"),
    "acceptedanswer": ("text", "feedback"),
    "category": ("name", "description"),
    "scale": ("name", "description"),
    "quiz": ("title", "description", "success_text", "fail_text"),
}


def copy_into_default_language(apps, schema_editor):
    language = settings.LANGUAGE_CODE
    for model_name, fields in TEXTS.items():
        model = apps.get_model("quizzes", model_name)
        for field in fields:
            # Empty texts stay NULL: "not written in this language".
            model.objects.exclude(**{field: ""}).update(**{f"{field}_{language}": F(field)})


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0007_per_language_texts")]

    operations = [migrations.RunPython(copy_into_default_language, migrations.RunPython.noop)]
