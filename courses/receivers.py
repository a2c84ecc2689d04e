"""When a course changes shape, learners who now meet its rule are completed (and what
course pages cache of the tree is forgotten); when a
learner may see they passed a hosted quiz, its page counts as done; a course page
published in its own language is offered to the others as a translation draft."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses import services
from courses.models import CoursePage, QuizPage, learning_item_types, translated_page_types
from quizzes.models import Attempt, Quiz
from quizzes.signals import attempt_released


def _recheck(course: CoursePage | None) -> None:
    from courses.tasks import recheck_completions

    if course is not None:
        # After commit, so the worker sees the change that prompted it.
        transaction.on_commit(lambda: recheck_completions.enqueue(course.pk))


def _item_unpublished(sender, instance, **kwargs) -> None:
    from courses import selectors

    _recheck(selectors.course_of(instance))


@receiver(page_published, sender=CoursePage)
def _course_published(sender, instance, **kwargs) -> None:
    _recheck(instance)  # its completion rule may have been relaxed


def offer_for_translation(page, user=None) -> None:
    """After commit, a task offers the page to the other languages (drafts, never live)."""
    from courses.tasks import sync_translation_drafts

    user_id = user.pk if user is not None and user.is_authenticated else None
    transaction.on_commit(lambda: sync_translation_drafts.enqueue(page.pk, user_id))


def _published(sender, instance, revision=None, **kwargs) -> None:
    offer_for_translation(instance, revision.user if revision else None)


def _item_deleted(sender, instance, **kwargs) -> None:
    # The page has left the tree: its course is its grandparent by path.
    _recheck(CoursePage.objects.filter(path=instance.path[: -2 * CoursePage.steplen]).first())


# Connected for every item type, those of other apps too (assignments): this module is
# imported in CoursesConfig.ready, when every app's models are loaded.
for _page_type in translated_page_types():
    page_published.connect(_published, sender=_page_type, dispatch_uid=f"translate-{_page_type}")
for _item_type in learning_item_types():
    page_unpublished.connect(
        _item_unpublished, sender=_item_type, dispatch_uid=f"item-unpublished-{_item_type}"
    )
    post_delete.connect(_item_deleted, sender=_item_type, dispatch_uid=f"item-deleted-{_item_type}")


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _tree_changed(sender, instance, **kwargs) -> None:
    from courses import selectors

    selectors.structure_changed()
    # and once more after commit: a request that read the tree before the commit may
    # have cached it under the new generation meanwhile
    transaction.on_commit(selectors.structure_changed)


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        _tree_changed(sender, instance)


@receiver(attempt_released, sender=Attempt)
def _mark_hosting_pages_done(sender, attempt: Attempt, **kwargs) -> None:
    """Passing a module test or final exam marks its page done in the learner's progress,
    once the learner may see that they passed (see quizzes.selectors.result_view).

    A self-assessment has no pass mark: finishing it is what counts.
    """
    counts = attempt.passed or (
        attempt.quiz.kind == Quiz.Kind.SELF_ASSESSMENT and attempt.state == Attempt.State.FINISHED
    )
    if not counts:
        return
    for page in QuizPage.objects.live().filter(quiz=attempt.quiz):
        try:
            services.quiz_page_passed(
                learner=attempt.user, quiz_page=page, submitted_at=attempt.finished_at
            )
        except services.NotEnrolled:
            continue  # a trainer trying the test, or a learner of another course
