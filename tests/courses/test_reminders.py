"""The cohort-starts reminder and the falling-behind nudge: who gets them, once, in
their language, and in a number of queries that does not grow with the cohort."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import reminders, selectors
from courses.models import Enrolment, ItemCompletion
from lms.models import User
from notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.courses import build_cohort

NOW = "2026-12-08T12:00:00+05:00"  # a Tuesday noon in Almaty, ISO week 50


@pytest.fixture(autouse=True)
def _noon_in_almaty(time_machine):
    time_machine.move_to(NOW, tick=False)


def enrol(cohort, *, email: str, language: str = "ru", idle_days: int | None = None):
    """A learner enrolled 30 days ago; last active ``idle_days`` ago (None: never)."""
    learner = UserFactory(email=email, preferred_language=language)
    now = timezone.now()
    return Enrolment.objects.create(
        learner=learner,
        cohort=cohort,
        course_key=cohort.course.translation_key,
        enrolled_at=now - timedelta(days=30),
        last_activity_at=None if idle_days is None else now - timedelta(days=idle_days),
    )


def notified(event: str) -> dict[str, Notification]:
    return {
        row.user.email: row
        for row in Notification.objects.filter(event=event).select_related("user")
    }


# Cohort starts tomorrow ------------------------------------------------------------------


@pytest.fixture
def starting(course, trainer):
    cohort = build_cohort(course, name="Поток Акмола", trainers=[trainer])
    cohort.name_kk, cohort.branch = "Ақмола ағыны", "Кокшетау"
    cohort.starts_on, cohort.ends_on = date(2026, 12, 9), date(2026, 12, 30)
    cohort.save()
    return cohort


def test_learners_of_a_cohort_starting_tomorrow_are_told_once(starting, course):
    kazakh = enrol(starting, email="kk@example.com", language="kk")
    russian = enrol(starting, email="ru@example.com")
    withdrawn = enrol(starting, email="gone@example.com")
    Enrolment.objects.filter(pk=withdrawn.pk).update(status=Enrolment.Status.WITHDRAWN)
    build_cohort(course, name="Другой поток")  # started long ago: nobody told

    assert reminders.cohort_start_reminders_send() == "2 reminders for 1 cohorts"
    assert reminders.cohort_start_reminders_send() == "0 reminders for 1 cohorts"
    rows = notified("cohort_starts")
    assert set(rows) == {kazakh.learner.email, russian.learner.email}
    assert rows["kk@example.com"].target == f"cohort-starts:{starting.pk}:2026-12-09"
    assert rows["kk@example.com"].subject == "Оқуыңыз ертең басталады: Ақмола ағыны"
    assert "9 желтоқсан 2026 ж." in rows["kk@example.com"].body
    assert "Кокшетау" in rows["ru@example.com"].body
    assert "Управление сельским округом" in rows["ru@example.com"].body


def test_a_cohort_moved_to_another_day_reminds_again(starting):
    enrol(starting, email="ru@example.com")
    reminders.cohort_start_reminders_send()
    starting.starts_on = date(2026, 12, 10)
    starting.save()
    assert reminders.cohort_start_reminders_send(day=date(2026, 12, 10)) == (
        "1 reminders for 1 cohorts"
    )


# Falling behind --------------------------------------------------------------------------


def test_idle_learners_are_nudged_while_others_progress(cohort):
    idle = enrol(cohort, email="idle@example.com", language="kk", idle_days=8)
    never = enrol(cohort, email="never@example.com")  # enrolled 30 days ago, nothing since
    busy = enrol(cohort, email="busy@example.com", idle_days=1)
    recent = enrol(cohort, email="recent@example.com", idle_days=4)  # within the 5 days
    assert set(selectors.falling_behind()) == {idle, never}

    assert reminders.falling_behind_nudges_send() == "2 learners nudged in 1 cohorts"
    rows = notified("falling_behind")
    assert set(rows) == {"idle@example.com", "never@example.com"}
    assert rows["idle@example.com"].target == f"behind:{cohort.pk}:2026-W50"
    assert rows["idle@example.com"].language == "kk"
    assert "5 күн" in rows["idle@example.com"].body
    assert "5 дней" in rows["never@example.com"].body
    assert busy.learner.email not in rows and recent.learner.email not in rows


def test_once_a_week_at_most(cohort, time_machine):
    enrol(cohort, email="idle@example.com", idle_days=8)
    enrol(cohort, email="busy@example.com", idle_days=0)
    assert reminders.falling_behind_nudges_send() == "1 learners nudged in 1 cohorts"
    assert reminders.falling_behind_nudges_send() == "0 learners nudged in 1 cohorts"
    time_machine.move_to("2026-12-13T12:00:00+05:00", tick=False)  # Sunday, same week
    Enrolment.objects.filter(learner__email="busy@example.com").update(
        last_activity_at=timezone.now()
    )
    assert reminders.falling_behind_nudges_send() == "0 learners nudged in 1 cohorts"
    time_machine.move_to("2026-12-14T12:00:00+05:00", tick=False)  # Monday: a new week
    Enrolment.objects.filter(learner__email="busy@example.com").update(
        last_activity_at=timezone.now()
    )
    assert reminders.falling_behind_nudges_send() == "1 learners nudged in 1 cohorts"


def test_nobody_is_behind_when_the_whole_cohort_is_idle(cohort):
    enrol(cohort, email="a@example.com", idle_days=9)
    enrol(cohort, email="b@example.com", idle_days=20)
    enrol(cohort, email="c@example.com")
    assert list(selectors.falling_behind()) == []
    assert reminders.falling_behind_nudges_send() == "0 learners nudged in 0 cohorts"


def test_a_completed_item_counts_as_progress_on_both_sides(cohort):
    idle = enrol(cohort, email="idle@example.com", idle_days=8)
    quiet_but_done = enrol(cohort, email="done@example.com", idle_days=8)
    # passed a test without opening a page since (a quiz finished elsewhere, say)
    ItemCompletion.objects.create(
        enrolment=quiet_but_done, item_key=cohort.course.translation_key, source="quiz"
    )
    assert list(selectors.falling_behind()) == [idle]


def test_withdrawn_ended_and_new_cohorts_are_left_alone(course, cohort):
    withdrawn = enrol(cohort, email="gone@example.com", idle_days=10)
    Enrolment.objects.filter(pk=withdrawn.pk).update(status=Enrolment.Status.WITHDRAWN)
    enrol(cohort, email="busy@example.com", idle_days=0)
    ended = build_cohort(course, name="Закончился")
    ended.ends_on = date(2026, 12, 1)
    ended.save()
    new = build_cohort(course, name="Только начался")
    new.starts_on = date(2026, 12, 6)  # two days ago: too early to call anyone behind
    new.save()
    for other in (ended, new):
        enrol(other, email=f"idle-{other.pk}@example.com", idle_days=10)
        enrol(other, email=f"busy-{other.pk}@example.com", idle_days=0)
    assert list(selectors.falling_behind()) == []


def test_the_rule_reads_its_days_from_the_settings(cohort, settings):
    idle = enrol(cohort, email="idle@example.com", idle_days=3)
    enrol(cohort, email="busy@example.com", idle_days=0)
    assert list(selectors.falling_behind()) == []
    settings.FALLING_BEHIND_DAYS = 2
    assert list(selectors.falling_behind()) == [idle]


# Queries ---------------------------------------------------------------------------------


def _crowd(cohort, n: int, *, idle_days: int) -> None:
    users = User.objects.bulk_create(
        User(email=f"l{i}-{cohort.pk}@example.com", full_name=f"Ученик {i}") for i in range(n)
    )
    now = timezone.now()
    Enrolment.objects.bulk_create(
        Enrolment(
            learner=u,
            cohort=cohort,
            course_key=cohort.course.translation_key,
            enrolled_at=now - timedelta(days=30),
            last_activity_at=now - timedelta(days=idle_days),
        )
        for u in users
    )


def _reads_and_updates(job) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        job()
    statements = [query["sql"].lstrip().split()[0].upper() for query in queries]
    # SQLite takes at most 999 parameters a statement, so Django splits the bulk
    # INSERT of a thousand rows into batches: the INSERTs are left out of the count.
    return statements.count("SELECT"), statements.count("UPDATE")


@pytest.mark.parametrize("n", [10, 1000])
def test_the_cohort_starts_job_is_flat_in_queries(starting, n):
    _crowd(starting, n, idle_days=0)
    # cohorts, learners, course titles; notify(): who has it, rows read back,
    # choices, contacts; one UPDATE of the unread counters
    assert _reads_and_updates(reminders.cohort_start_reminders_send) == (7, 1)


@pytest.mark.parametrize("n", [10, 1000])
def test_the_falling_behind_job_is_flat_in_queries(cohort, n):
    _crowd(cohort, n, idle_days=9)
    enrol(cohort, email="busy@example.com", idle_days=0)
    # the learners behind, course titles; notify() as above
    assert _reads_and_updates(reminders.falling_behind_nudges_send) == (6, 1)
    assert Notification.objects.filter(event="falling_behind").count() == n
