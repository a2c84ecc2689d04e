"""Survey permissions for the roles: methodologists design each course's survey. The
results follow the cohorts' own rule (trainers their cohorts, staff with
``courses.view_all_cohorts`` every one), so they need no permission of their own."""

from django.db import migrations

GRANTS = {
    "Methodologists": [
        ("survey", "add_survey"),
        ("survey", "change_survey"),
        ("survey", "delete_survey"),
        ("survey", "view_survey"),
    ],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codename in grants:
            content_type, _ = ContentType.objects.get_or_create(
                app_label="evaluations", model=model
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_survey_items_responses"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
