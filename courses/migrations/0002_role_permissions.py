"""Course permissions for the roles: trainers run cohorts; methodologists and
registrars see every cohort's progress."""

from django.db import migrations

GRANTS = {
    "Trainers": [
        ("cohort", "add_cohort"),
        ("cohort", "view_cohort"),
        ("cohort", "change_cohort"),
        ("enrolment", "view_enrolment"),
        ("enrolment", "add_enrolment"),
        ("enrolment", "change_enrolment"),
    ],
    "Methodologists": [
        ("cohort", "view_cohort"),
        ("cohort", "view_all_cohorts"),
        ("enrolment", "view_enrolment"),
    ],
    "Registrars": [
        ("cohort", "view_cohort"),
        ("cohort", "view_all_cohorts"),
        ("enrolment", "view_enrolment"),
    ],
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
    dependencies = [("courses", "0001_initial"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
