"""The "session tomorrow" reminders: once per session and start time, in each person's
language, with the time and the place or the link; flat in queries."""

from datetime import date, time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment
from courses.services import enrolment_create, enrolment_withdraw
from lms.models import User
from notifications.models import Notification
from schedule import services
from schedule.services import local_datetime
from tests.factories import UserFactory
from tests.schedule.conftest import add_session

TODAY = date(2026, 12, 8)
TOMORROW = date(2026, 12, 9)


@pytest.fixture(autouse=True)
def _noon_in_almaty(time_machine):
    """Noon in Almaty (outside the quiet hours), 8 December."""
    time_machine.move_to("2026-12-08T12:00:00+05:00", tick=False)


@pytest.fixture
def kazakh_learner(cohort):
    user = UserFactory(email="kk@example.com", preferred_language="kk")
    enrolment_create(learner=user, cohort=cohort)
    return user


def reminders(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, event="session_tomorrow"))


def test_learners_and_the_trainer_are_reminded_once(
    cohort, learner, trainer, django_capture_on_commit_callbacks
):
    session = add_session(cohort, day=TOMORROW, place="Кокшетау, ул. Абая 1", trainer=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_reminders_send() == "2 reminders for 1 sessions"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_reminders_send() == "0 reminders for 1 sessions"
    [row] = reminders(learner)
    assert row.target == f"session:{session.pk}:2026-12-09T10:00"
    assert "Кокшетау, ул. Абая 1" in row.body
    assert "10:00" in row.subject and "13:00" in row.body
    assert len(reminders(trainer)) == 1
    assert sorted(message.to[0] for message in mail.outbox) == [learner.email, trainer.email]
    assert "Кокшетау, ул. Абая 1" in mail.outbox[0].body


def test_a_moved_session_reminds_again(cohort, learner):
    session = add_session(cohort, day=TOMORROW, place="Кокшетау")
    services.session_reminders_send()
    session.starts_at = local_datetime(TOMORROW, time(14))
    session.ends_at = local_datetime(TOMORROW, time(17))
    session.save()
    assert services.session_reminders_send() == "1 reminders for 1 sessions"
    assert sorted(row.target for row in reminders(learner)) == [
        f"session:{session.pk}:2026-12-09T10:00",
        f"session:{session.pk}:2026-12-09T14:00",
    ]


def test_an_online_session_gives_its_link_in_the_learners_language(cohort, kazakh_learner):
    add_session(
        cohort,
        day=TOMORROW,
        format="online",
        link="https://meet.example.kz/akim-budget",
        title="Ауыл бюджеті",
    )
    services.session_reminders_send()
    [row] = reminders(kazakh_learner)
    assert row.language == "kk"
    assert "Ертең 10:00: Ауыл бюджеті" == row.subject
    assert "Онлайн: https://meet.example.kz/akim-budget" in row.body
    assert "(Алматы уақыты)" in row.body


def test_only_tomorrows_sessions_and_active_learners(cohort, learner, kazakh_learner):
    add_session(cohort, day=TODAY)
    add_session(cohort, day=date(2026, 12, 10))
    enrolment_withdraw(enrolment=Enrolment.objects.get(learner=kazakh_learner), actor="test")
    assert services.session_reminders_send() == "0 reminders for 0 sessions"
    add_session(cohort, day=TOMORROW, start=time(0, 30), end=time(2))  # just after midnight
    add_session(cohort, day=TOMORROW, start=time(23), end=time(23, 59))
    assert services.session_reminders_send() == "2 reminders for 2 sessions"
    assert len(reminders(learner)) == 2
    assert reminders(kazakh_learner) == []


def _add_learners(cohort, n: int) -> None:
    users = User.objects.bulk_create(
        User(email=f"l{i}@example.com", full_name=f"Ученик {i}") for i in range(n)
    )
    Enrolment.objects.bulk_create(
        Enrolment(learner=u, cohort=cohort, course_key=cohort.course.translation_key) for u in users
    )


def _job_queries(cohort, n: int) -> tuple[int, int]:
    """(SELECTs, UPDATEs) of one run of the job for a cohort of ``n`` learners."""
    _add_learners(cohort, n)
    add_session(cohort, day=TOMORROW, place="Кокшетау")
    with CaptureQueriesContext(connection) as queries:
        services.session_reminders_send()
    statements = [query["sql"].lstrip().split()[0].upper() for query in queries]
    # SQLite takes at most 999 parameters a statement, so Django splits the bulk
    # INSERT of a thousand rows into batches: the INSERTs are left out of the count.
    return statements.count("SELECT"), statements.count("UPDATE")


@pytest.mark.parametrize("n", [10, 1000])
def test_the_jobs_queries_do_not_grow_with_the_cohort(cohort, n):
    # The sessions with their cohorts, their learners; then notify(): who has it
    # already, the rows just written read back, the recipients' choices and contacts.
    # One UPDATE: the unread counters.
    assert _job_queries(cohort, n) == (6, 1)
