"""Trainers post announcements to the cohorts they teach (the cohorts' own rule
decides which); methodologists and registrars read them."""

from django.db import migrations

GRANTS = {
    "Trainers": [
        ("announcement", "add_announcement"),
        ("announcement", "view_announcement"),
    ],
    "Methodologists": [("announcement", "view_announcement")],
    "Registrars": [("announcement", "view_announcement")],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codename in grants:
            content_type, _ = ContentType.objects.get_or_create(app_label="courses", model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("courses", "0008_announcement"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
