"""Q&A moderation permissions for the roles: trainers and methodologists decide which
courses' questions and answers wait for approval (the cohorts' own rule decides whose)."""

from django.db import migrations

RULE = "coursequestionrule"
GRANTS = {
    group: [(RULE, f"{action}_{RULE}") for action in ("add", "change", "delete", "view")]
    for group in ("Trainers", "Methodologists")
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codename in grants:
            content_type, _ = ContentType.objects.get_or_create(
                app_label="discussions", model=model
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("discussions", "0001_questions_answers"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
