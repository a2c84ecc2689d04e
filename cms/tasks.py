"""Background work for the public site (django-tasks)."""

from django_tasks import task

from cms import services


@task()
def fold_article_views() -> int:
    """Move article views counted in the cache into the database (every few minutes)."""
    return services.article_views_fold()
