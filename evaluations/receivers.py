"""Completing a course asks the learner to evaluate it (when the course has a survey)."""

from django.dispatch import receiver

from courses.models import Enrolment
from courses.signals import course_completed
from evaluations.services import survey_invite


@receiver(course_completed, sender=Enrolment)
def _ask_on_completion(sender, enrolment: Enrolment, **kwargs) -> None:
    survey_invite(enrolment=enrolment)
