"""Completing a course issues its certificate (after the completion is committed)."""

from django.db import transaction
from django.dispatch import receiver

from courses.models import Enrolment
from courses.signals import course_completed


@receiver(course_completed, sender=Enrolment)
def _issue_on_completion(sender, enrolment: Enrolment, **kwargs) -> None:
    from certification.services import certificate_issue

    transaction.on_commit(lambda: certificate_issue(enrolment=enrolment))
