"""The demo certificate: the second demo learner has finished the 2021 course."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from certification.models import Certificate
from certification.services import certificate_issue
from courses import services as course_services
from courses.models import Cohort, LessonPage, QuizPage
from lms.models import User

HOLDER_EMAIL = "learner2@example.com"


def seed_certificate(*, cohort: Cohort) -> Certificate:
    """Complete every required item for the demo holder, then issue (both idempotent)."""
    learner = User.objects.get(email=HOLDER_EMAIL)
    course = cohort.course
    # done in time, on the cohort's last day, not late today
    last_day = timezone.make_aware(datetime.combine(cohort.ends_on, time(12)))
    for lesson in LessonPage.objects.descendant_of(course).live().filter(required=True):
        course_services.lesson_complete(learner=learner, lesson=lesson, now=last_day)
    for page in QuizPage.objects.descendant_of(course).live().filter(required=True):
        course_services.quiz_page_passed(learner=learner, quiz_page=page, submitted_at=last_day)
    enrolment = learner.enrolments.get(course_key=course.translation_key)
    return certificate_issue(enrolment=enrolment, actor="seed_demo")
