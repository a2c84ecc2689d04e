"""Background work for quizzes (django-tasks)."""

from django_tasks import task

from lms.background import attempt_token
from quizzes import services
from quizzes.imports import (
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
