"""Notifications the cohorts' dates call for, sent by the scheduler (lms/scheduler.py).

``module_opens``: a module whose release date for a cohort has just passed, to the
cohort's active learners. ``test_closes_soon``: a test that closes within a day (the
quiz's own closing date, else the cohort's due date for it), to the cohort's active
learners who have not handed in an attempt. Each goes once per learner and occasion
(``notifications.services.notify`` keeps the target), so a job run twice sends nothing
twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses import selectors
from courses.models import Cohort, CohortItemDates, Enrolment, ModulePage, QuizPage
from notifications.services import Message, notify
from quizzes.models import Attempt

# How far back a release still gets its notice (a scheduler that was down for a while
# catches up), and how far ahead a closing test is announced.
OPENS_WINDOW = timedelta(days=1)
CLOSES_WINDOW = timedelta(hours=24)


def _active_learners(cohort: Cohort):
    return [
        enrolment.learner
        for enrolment in Enrolment.objects.filter(
            cohort=cohort, status=Enrolment.Status.ACTIVE
        ).select_related("learner")
    ]


def _page_in_language(key) -> Page | None:
    """The live copy of a page in the active language, else another one."""
    copies = {
        page.locale.language_code: page
        for page in Page.objects.filter(translation_key=key, live=True).select_related("locale")
    }
    return copies.get(translation.get_language()) or next(iter(copies.values()), None)


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def module_opens_notify(*, now: datetime | None = None) -> int:
    """Tell each cohort's active learners that a module has opened for them (its
    release date passed in the last day). Returns how many notifications were new."""
    now = now or timezone.now()
    modules = ModulePage.objects.values("translation_key")
    rows = CohortItemDates.objects.filter(
        opens_at__gt=now - OPENS_WINDOW, opens_at__lte=now, item_key__in=modules
    ).select_related("cohort")
    sent = 0
    for row in rows:

        def message(user, row=row) -> Message:
            page = _page_in_language(row.item_key)
            title = page.title if page else ""
            return Message(
                subject=_("A new module is open: %(title)s") % {"title": title},
                body=_("The module %(title)s is open for %(cohort)s since %(date)s.")
                % {"title": title, "cohort": row.cohort.local_name, "date": _when(row.opens_at)},
                url=page.get_url() if page else "",
            )

        sent += notify(
            event="module_opens",
            recipients=_active_learners(row.cohort),
            target=f"module-opens:{row.cohort_id}:{row.item_key}",
            message=message,
        )
    return sent


def _closing_tests(*, now: datetime) -> list[tuple[Cohort, QuizPage, datetime]]:
    """(cohort, test page, closing time) for each test that closes within the window
    for a cohort with active learners: the quiz's own closing date wins over the cohort's
    due date (the cohort's date never closes a quiz, it only makes later work late)."""
    until = now + CLOSES_WINDOW
    due_soon = CohortItemDates.objects.filter(due_at__gt=now, due_at__lte=until).values("cohort")
    closing_quizzes = QuizPage.objects.live().filter(
        quiz__closes_at__gt=now, quiz__closes_at__lte=until
    )
    courses = {
        course.translation_key
        for course in map(selectors.course_of, closing_quizzes)
        if course is not None
    }
    cohorts = (
        Cohort.objects.filter(
            Q(pk__in=due_soon) | Q(course__translation_key__in=courses),
            enrolments__status=Enrolment.Status.ACTIVE,
        )
        .select_related("course")
        .distinct()
    )
    found = []
    for cohort in cohorts:
        dates = selectors.cohort_dates(cohort=cohort)
        tests = (
            QuizPage.objects.descendant_of(cohort.course)
            .live()
            .filter(quiz__isnull=False)
            .select_related("quiz")
        )
        modules = dict(Page.objects.child_of(cohort.course).values_list("path", "translation_key"))
        for page in tests:
            closes = page.quiz.closes_at
            if closes is None:
                module_key = modules.get(page.path[: -Page.steplen])
                closes = dates.release(module_key=module_key, item_key=page.translation_key).due_at
            if closes is not None and now < closes <= until:
                found.append((cohort, page, closes))
    return found


def test_closes_soon_notify(*, now: datetime | None = None) -> int:
    """Remind the learners who have not handed in a test that it closes within a day.
    A closing moved to another time reminds again. Returns how many were new."""
    now = now or timezone.now()
    sent = 0
    for cohort, page, closes in _closing_tests(now=now):
        quizzes = QuizPage.objects.filter(translation_key=page.translation_key).values("quiz")
        handed_in = set(
            Attempt.objects.filter(quiz__in=quizzes, state=Attempt.State.FINISHED).values_list(
                "user_id", flat=True
            )
        )
        learners = [user for user in _active_learners(cohort) if user.pk not in handed_in]

        def message(user, page=page, closes=closes) -> Message:
            copy = _page_in_language(page.translation_key) or page
            return Message(
                subject=_("A test closes soon: %(title)s") % {"title": copy.title},
                body=_("Hand in %(title)s before %(date)s.")
                % {"title": copy.title, "date": _when(closes)},
                url=copy.get_url(),
            )

        sent += notify(
            event="test_closes_soon",
            recipients=learners,
            target=f"test-closes:{cohort.pk}:{page.translation_key}:{closes:%Y%m%dT%H%M}",
            message=message,
        )
    return sent
