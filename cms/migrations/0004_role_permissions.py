"""News permissions for the roles: methodologists (the moderators) keep authors and
categories and moderate comments; trainers, who write news too, can pick them."""

from django.db import migrations

GRANTS = {
    "Trainers": [
        ("person", "view_person"),
        ("person", "add_person"),
        ("articlecategory", "view_articlecategory"),
    ],
    "Methodologists": [
        ("person", "view_person"),
        ("person", "add_person"),
        ("person", "change_person"),
        ("person", "delete_person"),
        ("articlecategory", "view_articlecategory"),
        ("articlecategory", "add_articlecategory"),
        ("articlecategory", "change_articlecategory"),
        ("articlecategory", "delete_articlecategory"),
        ("comment", "view_comment"),
        ("comment", "change_comment"),
        ("comment", "delete_comment"),
    ],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codename in grants:
            content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_news"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
