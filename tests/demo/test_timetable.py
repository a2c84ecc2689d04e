"""The demo timetables: the 2021 programme over three weeks of weekdays, and a current
cohort that always has sessions to come; seeding twice changes nothing."""

from datetime import date, time

from django.core.management import call_command
from django.utils import timezone

from courses.models import Cohort, Enrolment
from demo.timetable import _current_start
from schedule.models import Attendance, Session


def _local(value):
    return timezone.localtime(value)


def test_the_2021_programme_and_a_current_cohort(db):
    call_command("seed_demo")
    programme = Cohort.objects.get(invite_code="AKMOLA21")
    sessions = list(programme.sessions.order_by("starts_at"))
    days = sorted({_local(s.starts_at).date() for s in sessions})
    assert days[0] == date(2021, 10, 4) and days[-1] == date(2021, 10, 22)
    assert len(days) == 15 and all(day.weekday() < 5 for day in days)
    assert {_local(s.starts_at).time() for s in sessions} == {time(10), time(14, 30)}
    assert len({s.module_id for s in sessions if s.module_id}) == 11
    assert "тестирование" in sessions[-2].title
    assert any("Кокшетау" in s.place for s in sessions)
    assert any(s.format == Session.Format.ONLINE and s.link for s in sessions)
    assert Attendance.objects.filter(session__cohort=programme).exists()

    current = Cohort.objects.get(invite_code="AKIMNOW")
    today = timezone.localdate()
    assert current.starts_on < today < current.ends_on
    assert current.sessions.filter(starts_at__gte=timezone.now()).exists()
    learner = Enrolment.objects.get(learner__email="learner@example.com")
    assert learner.cohort == current

    counts = (Session.objects.count(), Attendance.objects.count(), Cohort.objects.count())
    call_command("seed_demo")
    assert (Session.objects.count(), Attendance.objects.count(), Cohort.objects.count()) == counts
    assert Enrolment.objects.get(learner__email="learner@example.com").cohort == current


def test_the_current_cohort_starts_on_a_monday_a_few_days_ago():
    for today, start in [
        (date(2026, 12, 7), date(2026, 11, 30)),  # a Monday: last week's
        (date(2026, 12, 9), date(2026, 12, 7)),  # a Wednesday: this week's
        (date(2026, 12, 13), date(2026, 12, 7)),  # a Sunday
    ]:
        assert _current_start(today) == start


def test_the_demo_cohorts_release_and_due_dates_follow_their_timetables(db, client):
    from datetime import timedelta

    from courses.models import CohortItemDates, ItemCompletion
    from lms.models import User

    call_command("seed_demo")
    programme = Cohort.objects.get(invite_code="AKMOLA21")
    first = _local(programme.item_dates.order_by("opens_at").first().opens_at)
    assert first.date() == date(2021, 10, 4) and first.time() == time(9)
    assert programme.item_dates.count() == 11  # one per module
    # the certificate holder did the work in time
    assert not ItemCompletion.objects.filter(late=True).exists()

    current = Cohort.objects.get(invite_code="AKIMNOW")
    assert current.item_dates.count() == 11
    shift = current.starts_on - programme.starts_on
    assert _local(current.item_dates.order_by("opens_at").first().opens_at).date() == (
        date(2021, 10, 4) + shift
    )
    client.force_login(User.objects.get(email="learner@example.com"))
    response = client.get("/ru/dashboard/")
    assert response.context["overdue"] and response.context["due_next"]
    now = timezone.now()
    assert CohortItemDates.objects.filter(cohort=current, opens_at__gt=now).exists()
    assert CohortItemDates.objects.filter(
        cohort=current, opens_at__lte=now, due_at__gt=now
    ).exists()
    # seeding again keeps the dates as they are
    call_command("seed_demo")
    assert current.item_dates.count() == 11 and timedelta(0) == shift - (
        Cohort.objects.get(invite_code="AKIMNOW").starts_on - programme.starts_on
    )
