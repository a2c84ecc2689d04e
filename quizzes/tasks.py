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
