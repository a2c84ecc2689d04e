"""The demo Q&A: under the first lesson, one question answered and marked, one
unanswered, one awaiting approval; seeding twice changes nothing."""

from django.core.management import call_command

from courses.models import Cohort
from discussions.models import Answer, CourseQuestionRule, Question, Status
from discussions.selectors import unanswered_questions
from lms.models import User


def test_the_demo_cohort_has_questions_of_each_kind(db):
    call_command("seed_demo", verbosity=0)
    current = Cohort.objects.get(invite_code="AKIMNOW")
    questions = list(Question.objects.filter(cohort=current).order_by("pk"))
    assert [q.status for q in questions] == [Status.VISIBLE, Status.VISIBLE, Status.PENDING]
    assert questions[0].accepted_answer.by_trainer
    assert CourseQuestionRule.objects.get(course=current.course).premoderation
    trainer = User.objects.get(email="trainer@example.com")
    assert list(unanswered_questions(user=trainer)) == [questions[1]]

    call_command("seed_demo", verbosity=0)
    assert Question.objects.count() == 3 and Answer.objects.count() == 1
