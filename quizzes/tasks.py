"""Background work for quizzes (django-tasks)."""

from django.dispatch import receiver
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from lms.background import attempt_token
from quizzes import services
from quizzes.imports import (
    question_import_abandon,
    question_import_check,
    question_import_run,
)


@task()
def close_overdue_attempts() -> int:
    """Finish attempts whose time is up (the scheduler calls the service every minute)."""
    return services.close_overdue_attempts()


@task()
def release_quiz_results() -> int:
    """Pass on results released since grading; run every minute beside the one above."""
    return services.release_due_results()


@task(takes_context=True)
def check_question_import(context, import_id: int) -> str:
    """Check an uploaded question file (a dry run); returns the run's state."""
    return question_import_check(import_id=import_id, attempt=attempt_token(context)).state


@task(takes_context=True)
def run_question_import(context, import_id: int) -> dict:
    """Import a checked and confirmed question file; returns the run's counts."""
    run = question_import_run(import_id=import_id, attempt=attempt_token(context))
    return {
        "state": run.state,
        "imported": run.questions_imported,
        "skipped": run.questions_skipped,
    }


@receiver(task_finished)
def _fail_import_of_abandoned_task(sender, task_result, **kwargs) -> None:
    """An import whose check or import task failed for good stops showing as in
    progress (the tasks fail their run themselves on an ordinary error)."""
    if task_result.status != TaskResultStatus.FAILED or not task_result.args:
        return
    if task_result.task.module_path in (
        check_question_import.module_path,
        run_question_import.module_path,
    ):
        question_import_abandon(import_id=task_result.args[0], task_id=str(task_result.id))
