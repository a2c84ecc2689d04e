"""Where courses meet the quiz engine: who may take a hosted quiz, whose results a
trainer reads (what passing does: receivers.py)."""

from __future__ import annotations

import copy

from django.db.models import Exists, OuterRef, Q
from django.utils import translation

from courses import selectors
from courses.models import Cohort, CoursePage, Enrolment, QuizPage
from lms.page_generation import GenerationMemo, current_generation
from quizzes.models import Quiz

# The live pages hosting each quiz, kept in each process under the page generation
# (which every publish, unpublish, move and deletion bumps): every start asks.
_hosts = GenerationMemo(size=1024)


def _hosting_pages(quiz: Quiz) -> list[QuizPage]:
    pages = _hosts.get(
        quiz.pk,
        lambda: tuple(QuizPage.objects.live().filter(quiz=quiz)),
        generation=current_generation(),
    )
    return [copy.copy(page) for page in pages]  # each request its own


def can_take(user, quiz: Quiz) -> bool:
    """A quiz hosted in a course is for that course's learners, trainers and staff,
    and for a learner only once their cohort has opened the test (its module's date,
    its own, the cohort's start: see ``selectors.item_release``). The quiz's own
    opening and closing dates still apply on top (the quizzes app checks them), so the
    later opening wins; a cohort's due date never closes it: work after it is late.

    A quiz no course hosts (a self-assessment offered to everyone, say) is open to
    anyone signed in.
    """
    pages = _hosting_pages(quiz)
    if not pages:
        return True
    for page in pages:
        course = selectors.course_of(page)
        if course is None:
            continue
        enrolment = selectors.enrolment_for(user=user, course=course)
        if enrolment is not None:
            release, _dates = selectors.item_release(enrolment=enrolment, page=page)
            if not release.locked:
                return True
        if selectors.can_see_all_cohorts(user) or selectors.teaches(user=user, course=course):
            return True
    return False


def host_links(user, quiz: Quiz) -> list[tuple[str, str]]:
    """(title, url) of the course and module hosting ``quiz`` for ``user``
    (``QUIZZES_HOST_LINKS``): the quiz's breadcrumb, the module last. The copy in the
    page's language comes first; empty when no course this person may open hosts it."""
    pages = QuizPage.objects.live().filter(quiz=quiz).select_related("locale")
    language = translation.get_language()
    for page in sorted(pages, key=lambda p: p.locale.language_code != language):
        course = selectors.course_of(page)
        if course and selectors.can_view_course_content(user=user, course=course):
            module = page.get_parent()
            return [(course.title, course.url), (module.title, module.url)]
    return []


def results_scope(user) -> Q | None:
    """The quiz attempts a trainer may read (``QUIZZES_RESULTS_SCOPE``): those of the
    learners of each cohort they teach, in the tests of that cohort's course (any
    language copy), as the progress report shows them. None when they teach no cohort.

    One query (do they teach?); the filter itself is subqueries, so its cost does not
    grow with the number of cohorts, courses or learners.
    """
    if not (user.is_authenticated and Cohort.objects.filter(trainers=user).exists()):
        return None
    # A copy of the enrolment's course that hosts the attempt's quiz somewhere below it.
    hosted_below = QuizPage.objects.filter(
        quiz_id=OuterRef(OuterRef(OuterRef("quiz_id"))), path__startswith=OuterRef("path")
    )
    course_hosts_quiz = CoursePage.objects.filter(translation_key=OuterRef("course_key")).filter(
        Exists(hosted_below)
    )
    taught_enrolment = Enrolment.objects.filter(
        cohort__trainers=user, learner_id=OuterRef("user_id")
    ).filter(Exists(course_hosts_quiz))
    return Q(Exists(taught_enrolment))


def required_by_a_course(quiz: Quiz) -> bool:
    """Does passing the quiz count towards completing a course? Such a quiz must show
    learners their results (``QUIZZES_REQUIRED_BY_HOST``)."""
    return QuizPage.objects.filter(quiz=quiz, required=True).exists()


def final_exam_of_a_course(quiz: Quiz) -> bool:
    """Is the quiz a course's final exam? A final exam is never answered offline
    (``QUIZZES_FINAL_EXAM_BY_HOST``)."""
    return QuizPage.objects.filter(quiz=quiz, kind=QuizPage.Kind.FINAL_EXAM).exists()
