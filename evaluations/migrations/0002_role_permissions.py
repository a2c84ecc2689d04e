"""Survey permissions for the roles: methodologists design each course's survey. The
results follow the cohorts' own rule (trainers their cohorts, staff with
``courses.view_all_cohorts`` every one), so they need no permission of their own."""

from django.db import migrations

from lms.migration_grants import grant_to_groups

GRANTS = {
    "Methodologists": [
        ("survey", "add_survey"),
        ("survey", "change_survey"),
        ("survey", "delete_survey"),
        ("survey", "view_survey"),
    ],
}


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_survey_items_responses"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant_to_groups("evaluations", GRANTS), migrations.RunPython.noop)]
