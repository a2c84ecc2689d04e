"""Q&A moderation permissions for the roles: trainers and methodologists decide which
courses' questions and answers wait for approval (the cohorts' own rule decides whose)."""

from django.db import migrations

from lms.migration_grants import grant_to_groups

RULE = "coursequestionrule"
GRANTS = {
    group: [(RULE, f"{action}_{RULE}") for action in ("add", "change", "delete", "view")]
    for group in ("Trainers", "Methodologists")
}


class Migration(migrations.Migration):
    dependencies = [("discussions", "0001_questions_answers"), ("lms", "0003_roles")]

    operations = [migrations.RunPython(grant_to_groups("discussions", GRANTS), migrations.RunPython.noop)]
