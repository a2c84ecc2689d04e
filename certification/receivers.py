"""Completing a course issues its certificate (after the completion is committed); a
bulk run whose task failed for good is failed with it."""

from django.db import transaction
from django.dispatch import receiver
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from certification.services import bulk_issuance_abandon, certificate_issue
from certification.tasks import run_bulk_issuance
from courses.models import Enrolment
from courses.signals import course_completed


@receiver(course_completed, sender=Enrolment)
def _issue_on_completion(sender, enrolment: Enrolment, **kwargs) -> None:
    transaction.on_commit(lambda: certificate_issue(enrolment=enrolment))


@receiver(task_finished)
def _fail_run_of_abandoned_task(sender, task_result, **kwargs) -> None:
    """A bulk run whose task failed for good (not a learner's failure: the run records
    those and goes on) stops showing as waiting or running."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path == run_bulk_issuance.module_path and task_result.args:
        bulk_issuance_abandon(run_id=task_result.args[0], task_id=str(task_result.id))
