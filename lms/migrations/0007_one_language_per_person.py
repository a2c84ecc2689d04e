"""One language per person (lms.receivers): profiles made before it take the account's
language where they had none, and an account takes the language its person chose in the
admin, so Wagtail's notices and the project's e-mails agree from the start."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

LANGUAGES = ("kk", "ru", "en")  # the site's, as they are now


def share_languages(apps, schema_editor):
    User = apps.get_model("lms", "User")
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    UserProfile.objects.filter(preferred_language="").update(
        preferred_language=Subquery(
            User.objects.filter(pk=OuterRef("user_id")).values("preferred_language")[:1]
        )
    )
    chosen = UserProfile.objects.filter(user_id=OuterRef("pk")).values("preferred_language")
    User.objects.filter(wagtail_userprofile__preferred_language__in=LANGUAGES).update(
        preferred_language=Subquery(chosen[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0006_background_work"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [migrations.RunPython(share_languages, migrations.RunPython.noop)]
