"""Learners who completed a course before its survey existed are asked too: an
invitation for each completed enrolment of an open survey's course that has none, in
the order of completion (as the survey's save does from now on)."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def ask_earlier_graduates(apps, schema_editor):
    Survey = apps.get_model("evaluations", "Survey")
    SurveyInvitation = apps.get_model("evaluations", "SurveyInvitation")
    Enrolment = apps.get_model("courses", "Enrolment")
    for survey in Survey.objects.filter(is_open=True):
        enrolments = (
            Enrolment.objects.filter(course_key=survey.course_key, status="completed")
            .exclude(Exists(SurveyInvitation.objects.filter(enrolment=OuterRef("pk"))))
            .order_by("completed_at", "pk")
            .values_list("pk", flat=True)
        )
        SurveyInvitation.objects.bulk_create(
            [SurveyInvitation(enrolment_id=pk, survey_id=survey.pk) for pk in enrolments],
            batch_size=500,
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_role_permissions")]

    operations = [migrations.RunPython(ask_earlier_graduates, migrations.RunPython.noop)]
