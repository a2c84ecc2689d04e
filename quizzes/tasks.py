"""Background work for quizzes (django-tasks)."""

from django_tasks import task

from quizzes import services


@task()
def close_overdue_attempts() -> int:
    """Finish attempts whose time is up; run every minute by the worker's scheduler or cron."""
    return services.close_overdue_attempts()
