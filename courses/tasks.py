"""Background work for courses (django-tasks)."""

from django_tasks import task
from wagtail.models import Page

from courses import services
from courses.models import CoursePage
from lms.models import User


@task()
def recheck_completions(course_id: int) -> int:
    """Complete the learners a changed course now counts as done (see services)."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    return services.completions_recheck(course=course)


@task()
def sync_translation_drafts(page_id: int, user_id: int | None = None) -> int:
    """Offer a created or republished course page to the other languages (see services).

    A task, so that publishing never waits for the translations, nor fails with them.
    """
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    user = User.objects.filter(pk=user_id).first() if user_id else None
    return len(services.translation_drafts_sync(page=page, user=user))
