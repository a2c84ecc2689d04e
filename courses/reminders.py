"""Notifications a cohort's calendar calls for, sent by the scheduler (lms/scheduler.py).

``cohort_starts``: the day before a cohort's first day, to its active learners.
``falling_behind``: learners idle while others in their cohort move on, at most weekly.

``module_opens``: a module whose release date for a cohort has just passed, to the
cohort's active learners. ``test_closes_soon``: a test that closes within a day (the
quiz's own closing date, else the cohort's due date for it), to the cohort's active
learners who have not handed in an attempt. Each goes once per learner and occasion
(``notifications.services.notify`` keeps the target), so a job run twice sends nothing
twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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


# Daily: a cohort starts tomorrow; learners falling behind ----------------------------


def cohort_start_reminders_send(*, day: date | None = None) -> str:
    """Tell the active learners of every cohort starting ``day`` (tomorrow in
    Asia/Almaty) that it starts. Once per cohort, learner and first day: a second run
    sends nothing, a cohort moved to another day reminds again."""
    day = day or timezone.localdate() + timedelta(days=1)
    starting = selectors.cohorts_starting_on(day=day)
    titles = selectors.course_titles({entry.cohort.course.translation_key for entry in starting})
    sent = 0
    for entry in starting:
        cohort = entry.cohort

        def message(learner, cohort=cohort) -> Message:
            lines = [
                _("The course «%(course)s» starts on %(date)s, in the cohort %(cohort)s.")
                % {
                    "course": selectors.title_in(titles, cohort.course),
                    "date": date_format(cohort.starts_on, "DATE_FORMAT"),
                    "cohort": cohort.local_name,
                }
            ]
            if cohort.branch:
                lines.append(_("Where: %(branch)s.") % {"branch": cohort.branch})
            lines.append(_("Your timetable and lessons are on your learning page."))
            return Message(
                subject=_("Your course starts tomorrow: %(cohort)s")
                % {"cohort": cohort.local_name},
                body="\n".join(lines),
                url=reverse("dashboard"),
            )

        sent += notify(
            event="cohort_starts",
            recipients=entry.learners,
            target=f"cohort-starts:{cohort.pk}:{cohort.starts_on.isoformat()}",
            message=message,
        )
    return f"{sent} reminders for {len(starting)} cohorts"


def falling_behind_nudges_send(*, now: datetime | None = None) -> str:
    """Nudge the learners falling behind (``selectors.falling_behind``), at most once a
    week each: the target names the cohort and the ISO week, so one notify() per
    cohort covers all of its learners behind, whatever their number."""
    now = now or timezone.now()
    year, week, _day = timezone.localdate(now).isocalendar()
    by_cohort: dict[int, list[Enrolment]] = {}
    for enrolment in selectors.falling_behind(now=now):
        by_cohort.setdefault(enrolment.cohort_id, []).append(enrolment)
    titles = selectors.course_titles(
        {enrolments[0].cohort.course.translation_key for enrolments in by_cohort.values()}
    )
    sent = 0
    for enrolments in by_cohort.values():
        cohort = enrolments[0].cohort

        def message(learner, cohort=cohort) -> Message:
            return Message(
                subject=_("Your cohort is moving on: catch up with «%(course)s»")
                % {"course": selectors.title_in(titles, cohort.course)},
                body=ngettext(
                    "You have not opened the course for %(days)s day, while others in "
                    "%(cohort)s keep going. Continue where you left off: a lesson takes "
                    "about a quarter of an hour.",
                    "You have not opened the course for %(days)s days, while others in "
                    "%(cohort)s keep going. Continue where you left off: a lesson takes "
                    "about a quarter of an hour.",
                    settings.FALLING_BEHIND_DAYS,
                )
                % {"days": settings.FALLING_BEHIND_DAYS, "cohort": cohort.local_name},
                url=reverse("dashboard"),
            )

        sent += notify(
            event="falling_behind",
            recipients=[enrolment.learner for enrolment in enrolments],
            target=f"behind:{cohort.pk}:{year}-W{week:02d}",
            message=message,
        )
    return f"{sent} learners nudged in {len(by_cohort)} cohorts"
