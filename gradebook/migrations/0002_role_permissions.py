"""Grading scheme permissions for the roles: methodologists set each course's scheme.
The gradebooks follow the cohorts' own rule (trainers their cohorts, staff with
``courses.view_all_cohorts`` every one), so they need no permission of their own."""

from django.db import migrations

from lms.migration_grants import grant_to_groups

GRANTS = {
    "Methodologists": [
        ("coursegradingscheme", "add_coursegradingscheme"),
        ("coursegradingscheme", "change_coursegradingscheme"),
        ("coursegradingscheme", "delete_coursegradingscheme"),
        ("coursegradingscheme", "view_coursegradingscheme"),
    ],
}


class Migration(migrations.Migration):
    dependencies = [("gradebook", "0001_schemes_overrides"), ("lms", "0003_roles")]

    operations = [
        migrations.RunPython(grant_to_groups("gradebook", GRANTS), migrations.RunPython.noop)
    ]
