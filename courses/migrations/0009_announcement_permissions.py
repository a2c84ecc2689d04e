"""Trainers post announcements to the cohorts they teach (the cohorts' own rule
decides which); methodologists and registrars read them."""

from django.db import migrations

from lms.migration_grants import grant_to_groups

GRANTS = {
    "Trainers": [
        ("announcement", "add_announcement"),
        ("announcement", "view_announcement"),
    ],
    "Methodologists": [("announcement", "view_announcement")],
    "Registrars": [("announcement", "view_announcement")],
}


class Migration(migrations.Migration):
    dependencies = [("courses", "0008_announcement"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant_to_groups("courses", GRANTS), migrations.RunPython.noop)]
