"""When a course changes shape, learners who now meet its rule are completed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from courses.models import CoursePage, LessonPage, QuizPage


def _recheck(course: CoursePage | None) -> None:
    from courses.tasks import recheck_completions

    if course is not None:
        # After commit, so the worker sees the change that prompted it.
        transaction.on_commit(lambda: recheck_completions.enqueue(course.pk))


@receiver(page_unpublished, sender=LessonPage)
@receiver(page_unpublished, sender=QuizPage)
def _item_unpublished(sender, instance, **kwargs) -> None:
    from courses import selectors

    _recheck(selectors.course_of(instance))


@receiver(page_published, sender=CoursePage)
def _course_published(sender, instance, **kwargs) -> None:
    _recheck(instance)  # its completion rule may have been relaxed


@receiver(post_delete, sender=LessonPage)
@receiver(post_delete, sender=QuizPage)
def _item_deleted(sender, instance, **kwargs) -> None:
    # The page has left the tree: its course is its grandparent by path.
    _recheck(CoursePage.objects.filter(path=instance.path[: -2 * CoursePage.steplen]).first())
