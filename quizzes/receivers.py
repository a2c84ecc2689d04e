"""A question import whose background task failed for good stops showing as in progress."""

from django.dispatch import receiver
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from quizzes.tasks import check_question_import, run_question_import


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
        from quizzes.imports import question_import_abandon

        question_import_abandon(import_id=task_result.args[0], task_id=str(task_result.id))
