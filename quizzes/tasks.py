"""Background work for quizzes (django-tasks)."""

from django_tasks import task

from quizzes import services


@task()
def close_overdue_attempts() -> int:
    """Finish attempts whose time is up; run every minute by the worker's scheduler or cron."""
    return services.close_overdue_attempts()


@task()
def release_quiz_results() -> int:
    """Pass on results released since grading; run every minute beside the one above."""
    return services.release_due_results()


@task()
def check_question_import(import_id: int) -> str:
    """Check an uploaded question file (a dry run); returns the run's state."""
    from quizzes.imports import question_import_check

    return question_import_check(import_id=import_id).state


@task()
def run_question_import(import_id: int) -> dict:
    """Import a checked and confirmed question file; returns the run's counts."""
    from quizzes.imports import question_import_run

    run = question_import_run(import_id=import_id)
    return {
        "state": run.state,
        "imported": run.questions_imported,
        "skipped": run.questions_skipped,
    }
