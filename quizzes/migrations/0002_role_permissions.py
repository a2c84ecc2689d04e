"""Quiz permissions for the roles: trainers build question banks and quizzes and mark
essays; methodologists review everything. Both see every learner's results."""

from django.db import migrations

BANK_MODELS = ["category", "question", "scale", "quiz", "quizslot", "choice", "acceptedanswer"]

GRANTS = {
    "Trainers": [
        *((model, f"{action}_{model}") for model in BANK_MODELS for action in ("add", "change", "view")),
        ("attempt", "view_attempt"),
        ("answer", "view_answer"),
        ("answer", "change_answer"),
        ("quiz", "view_all_results"),
    ],
    "Methodologists": [
        *((model, f"view_{model}") for model in [*BANK_MODELS, "attempt", "answer"]),
        ("quiz", "view_all_results"),
    ],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codename in grants:
            content_type, _ = ContentType.objects.get_or_create(app_label="quizzes", model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0001_initial"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
