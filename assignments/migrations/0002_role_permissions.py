"""Trainers mark the assignments of the cohorts they teach; methodologists and
registrars see every cohort (``courses.view_all_cohorts``) and need nothing more."""

from django.db import migrations

from lms.migration_grants import grant_to_groups

GRANTS = {"Trainers": [("submission", "mark_submission")]}


class Migration(migrations.Migration):
    dependencies = [("assignments", "0001_assignments_submissions"), ("lms", "0003_roles")]

    operations = [
        migrations.RunPython(grant_to_groups("assignments", GRANTS), migrations.RunPython.noop)
    ]
