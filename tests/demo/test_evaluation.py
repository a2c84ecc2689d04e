"""The demo survey: six scales and two free texts in three languages, enough answers
in the 2021 cohort for the results to show, the finished learner asked; seeding twice
changes nothing."""

from django.core.management import call_command

from courses.models import Cohort
from evaluations.models import MIN_RESPONSES, Answer, Response, Survey, SurveyInvitation
from evaluations.selectors import survey_results
from lms.models import User


def test_the_demo_survey_and_its_results(db):
    call_command("seed_demo", verbosity=0)
    survey = Survey.objects.get()
    items = list(survey.items.all())
    assert [item.kind for item in items] == ["likert"] * 6 + ["text"] * 2
    assert all(item.text_ru and item.text_kk and item.text_en for item in items)
    assert all(item.low_label_kk and item.high_label_en for item in items if item.is_likert)

    cohort = Cohort.objects.get(invite_code="AKMOLA21")
    assert Response.objects.filter(cohort=cohort).count() >= MIN_RESPONSES
    admin = User.objects.get(email="admin@example.com")
    results = survey_results(survey=survey, user=admin)
    (shown,) = [group for group in results.cohorts if group.shown]
    assert shown.label == cohort.name and shown.items[0].mean is not None
    assert [group.label for group in results.trainers if group.shown] == [
        User.objects.get(email="trainer@example.com").full_name
    ]
    invitation = SurveyInvitation.objects.get()
    assert invitation.enrolment.learner.email == "learner2@example.com"
    assert not invitation.answered

    counts = (Response.objects.count(), Answer.objects.count(), SurveyInvitation.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (
        Response.objects.count(),
        Answer.objects.count(),
        SurveyInvitation.objects.count(),
    ) == counts
