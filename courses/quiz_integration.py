"""Where courses meet the quiz engine: who may take a hosted quiz, and what passing does."""

from __future__ import annotations

from django.dispatch import receiver

from courses import selectors, services
from courses.models import QuizPage
from quizzes.models import Attempt, Quiz
from quizzes.signals import attempt_graded


def can_take(user, quiz: Quiz) -> bool:
    """A quiz hosted in a course is for that course's learners, trainers and staff.

    A quiz no course hosts (a self-assessment offered to everyone, say) is open to
    anyone signed in.
    """
    pages = list(QuizPage.objects.live().filter(quiz=quiz))
    if not pages:
        return True
    for page in pages:
        course = selectors.course_of(page)
        if course and selectors.can_view_course_content(user=user, course=course):
            return True
    return False


@receiver(attempt_graded, sender=Attempt)
def _mark_hosting_pages_done(sender, attempt: Attempt, **kwargs) -> None:
    """Passing a module test or final exam marks its page done in the learner's progress.

    A self-assessment has no pass mark: finishing it is what counts.
    """
    counts = attempt.passed or (
        attempt.quiz.kind == Quiz.Kind.SELF_ASSESSMENT and attempt.state == Attempt.State.FINISHED
    )
    if not counts:
        return
    for page in QuizPage.objects.live().filter(quiz=attempt.quiz):
        try:
            services.quiz_page_passed(learner=attempt.user, quiz_page=page)
        except services.NotEnrolled:
            continue  # a trainer trying the test, or a learner of another course
