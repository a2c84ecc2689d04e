"""Completing a course asks the learner to evaluate it (when the course has a survey);
opening a survey asks those who completed the course before it was there."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import Enrolment
from courses.signals import course_completed
from evaluations.models import Survey
from evaluations.services import survey_invite, survey_invite_completed


@receiver(course_completed, sender=Enrolment)
def _ask_on_completion(sender, enrolment: Enrolment, **kwargs) -> None:
    survey_invite(enrolment=enrolment)


@receiver(post_save, sender=Survey)
def _ask_earlier_graduates(sender, instance: Survey, raw: bool = False, **kwargs) -> None:
    # On any save (the admin, the demo, a shell): a survey made or reopened asks the
    # learners who had completed the course already.
    if not raw and instance.is_open:
        survey_invite_completed(survey=instance)
