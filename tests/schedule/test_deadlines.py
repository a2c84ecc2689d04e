"""Cohort deadlines in the calendar feed, and copying a timetable moves them too."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from courses import services as course_services
from courses.models import CohortItemDates, ModulePage
from schedule import selectors, services
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course
from tests.schedule.conftest import add_session

ALMATY = ZoneInfo("Asia/Almaty")


def _feed(client, user):
    feed = services.calendar_feed_renew(user=user)
    url = reverse(
        "schedule_calendar_feed",
        kwargs={"public_id": feed.public_id, "token": selectors.feed_token(feed)},
    )
    return client, url


def _events(client, url):
    return Calendar.from_ical(client.get(url).content).walk("VEVENT")


def test_the_feed_has_the_cohorts_deadlines_with_stable_uids(
    client, cohort, course, learner, trainer
):
    module = ModulePage.objects.child_of(course).order_by("path").first()
    due = datetime(2030, 10, 20, 18, 0, tzinfo=ALMATY)
    course_services.cohort_dates_set(
        cohort=cohort, dates={module.translation_key: (None, due)}, actor="t"
    )
    client, url = _feed(client, learner)
    (event,) = _events(client, url)
    uid = f"due-{cohort.pk}-{module.translation_key}@testserver"
    assert event["UID"] == uid
    assert str(event["SUMMARY"]).endswith(module.title)
    assert event.decoded("DTSTART") == due
    assert event["SEQUENCE"] == 0
    assert "DTSTAMP" in event

    moved = due + timedelta(days=1)
    course_services.cohort_dates_set(
        cohort=cohort, dates={module.translation_key: (None, moved)}, actor="t"
    )
    (event,) = _events(client, url)
    assert (event["UID"], event["SEQUENCE"], event.decoded("DTSTART")) == (uid, 1, moved)

    # the cohort's trainer has it too
    client, url = _feed(client, trainer)
    assert [str(e["UID"]) for e in _events(client, url)] == [uid]


def test_another_cohorts_deadlines_stay_out_of_the_feed(
    client, cohort, other_cohort, course, learner, other_trainer
):
    module = ModulePage.objects.child_of(course).first()
    CohortItemDates.objects.create(
        cohort=other_cohort, item_key=module.translation_key, due_at=timezone.now()
    )
    client, url = _feed(client, learner)
    assert _events(client, url) == []
    outsider = UserFactory(email="outsider@example.com")
    client, url = _feed(client, outsider)
    assert _events(client, url) == []


def test_copying_a_timetable_moves_its_dates_by_the_same_days(cohort, other_cohort, course):
    module = ModulePage.objects.child_of(course).order_by("path").first()
    add_session(cohort, day=date(2021, 10, 4))
    CohortItemDates.objects.create(
        cohort=cohort,
        item_key=module.translation_key,
        opens_at=datetime(2021, 10, 4, 9, 0, tzinfo=ALMATY),
        due_at=datetime(2021, 10, 8, 18, 0, tzinfo=ALMATY),
    )
    services.timetable_copy(source=cohort, target=other_cohort, starts_on=date(2026, 3, 2))
    copy = CohortItemDates.objects.get(cohort=other_cohort)
    assert timezone.localtime(copy.opens_at) == datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)
    assert timezone.localtime(copy.due_at).date() == date(2026, 3, 6)
    assert timezone.localtime(copy.due_at).time() == time(18, 0)
    # twice: nothing more, and a date the target set itself is kept
    services.timetable_copy(source=cohort, target=other_cohort, starts_on=date(2026, 4, 6))
    assert CohortItemDates.objects.filter(cohort=other_cohort).count() == 1
    assert timezone.localtime(
        CohortItemDates.objects.get(cohort=other_cohort).opens_at
    ).date() == date(2026, 3, 2)


def test_dates_are_not_copied_to_a_cohort_of_another_course(cohort, home_pages, course):
    other = build_cohort(build_course(home_pages["ru"], slug="other"), name="Другой")
    add_session(cohort, day=date(2021, 10, 4))
    CohortItemDates.objects.create(
        cohort=cohort,
        item_key=ModulePage.objects.child_of(course).first().translation_key,
        due_at=datetime(2021, 10, 8, 18, 0, tzinfo=ALMATY),
    )
    services.timetable_copy(source=cohort, target=other, starts_on=date(2026, 3, 2))
    assert not CohortItemDates.objects.filter(cohort=other).exists()
