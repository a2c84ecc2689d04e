"""Background work for courses (django-tasks)."""

from django_tasks import task

from courses import services
from courses.models import CoursePage


@task()
def recheck_completions(course_id: int) -> int:
    """Complete the learners a changed course now counts as done (see services)."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    return services.completions_recheck(course=course)
