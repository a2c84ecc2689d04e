"""Timetable permissions for the roles: trainers build their cohorts' timetables and
set a course's attendance requirement; methodologists and registrars read every
timetable (the cohorts' own rule decides whose)."""

from django.db import migrations

GRANTS = {
    "Trainers": [
        ("session", "add_session"),
        ("session", "change_session"),
        ("session", "delete_session"),
        ("session", "view_session"),
        ("courseattendancerule", "add_courseattendancerule"),
        ("courseattendancerule", "change_courseattendancerule"),
        ("courseattendancerule", "delete_courseattendancerule"),
        ("courseattendancerule", "view_courseattendancerule"),
    ],
    "Methodologists": [
        ("session", "view_session"),
        ("courseattendancerule", "add_courseattendancerule"),
        ("courseattendancerule", "change_courseattendancerule"),
        ("courseattendancerule", "delete_courseattendancerule"),
        ("courseattendancerule", "view_courseattendancerule"),
    ],
    "Registrars": [("session", "view_session")],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codename in grants:
            content_type, _ = ContentType.objects.get_or_create(app_label="schedule", model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("schedule", "0001_timetable_attendance_feeds"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
