"""The trainer's timetable and attendance pages, the calendar feed, the dashboard
panel and the report's attendance column; each attacked by whoever should not get in."""

import re
from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from courses.models import Enrolment
from schedule import selectors, services
from schedule.models import Attendance, CalendarFeed
from tests.factories import UserFactory
from tests.schedule.conftest import add_session


def attendance_url(session_id) -> str:
    return reverse("schedule_attendance", kwargs={"session_id": session_id})


def feed_url(feed, token=None) -> str:
    return reverse(
        "schedule_calendar_feed",
        kwargs={"public_id": feed.public_id, "token": token or selectors.feed_token(feed)},
    )


class TestAttendancePage:
    def test_trainer_marks_each_learner_with_one_tap_and_one_submit(
        self, client, trainer, session, learner
    ):
        client.force_login(trainer)
        html = client.get(attendance_url(session.pk)).content.decode()
        name = f"learner-{learner.pk}"
        for status in ("present", "late", "absent", "excused"):
            assert f'type="radio" name="{name}" value="{status}"' in html
        # no script of its own: the sheet works without JavaScript
        assert re.findall(r"<script\b[^>]*>", html) == [
            '<script src="/static/js/offline.js" defer>'
        ]
        response = client.post(attendance_url(session.pk), {name: "late"})
        assert response.status_code == 302
        assert Attendance.objects.get(session=session, learner=learner).status == "late"
        html = client.get(attendance_url(session.pk)).content.decode()
        assert f'name="{name}" value="late" checked' in html

    def test_staff_who_see_every_cohort_may_open_it(self, client, session):
        methodologist = UserFactory()
        methodologist.groups.add(Group.objects.get(name="Methodologists"))
        client.force_login(methodologist)
        assert client.get(attendance_url(session.pk)).status_code == 200

    @pytest.mark.parametrize("who", ["other_trainer", "learner"])
    def test_others_get_404_and_change_nothing(self, client, request, who, session, learner):
        client.force_login(request.getfixturevalue(who))
        assert client.get(attendance_url(session.pk)).status_code == 404
        response = client.post(attendance_url(session.pk), {f"learner-{learner.pk}": "present"})
        assert response.status_code == 404
        assert not Attendance.objects.exists()

    def test_a_forged_session_id_is_404(self, client, trainer, session):
        client.force_login(trainer)
        assert client.get(attendance_url(session.pk + 1000)).status_code == 404

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, session):
        response = client.get(attendance_url(session.pk))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_a_forged_learner_id_saves_nothing(self, client, trainer, session, learner):
        stranger = UserFactory()
        client.force_login(trainer)
        response = client.post(
            attendance_url(session.pk),
            {f"learner-{learner.pk}": "present", f"learner-{stranger.pk}": "present"},
        )
        assert response.status_code == 400
        assert not Attendance.objects.exists()
        response = client.post(attendance_url(session.pk), {"learner-x": "present"})
        assert response.status_code == 400

    def test_a_session_of_another_cohort_cannot_be_marked_through_this_one(
        self, client, trainer, other_cohort, learner
    ):
        elsewhere = add_session(other_cohort, day=date(2030, 1, 7))
        client.force_login(trainer)
        response = client.post(attendance_url(elsewhere.pk), {f"learner-{learner.pk}": "present"})
        assert response.status_code == 404


def test_timetable_lists_the_sessions_by_day_for_the_cohorts_trainers(
    client, trainer, other_trainer, cohort
):
    add_session(cohort, day=date(2021, 10, 4), title="Открытие программы")
    add_session(cohort, day=date(2021, 10, 4), title="Бюджет", start=time(14), end=time(17))
    add_session(cohort, day=date(2021, 10, 5), title="Госзакупки")
    url = reverse("schedule_timetable", kwargs={"cohort_id": cohort.pk})
    client.force_login(trainer)
    html = client.get(url).content.decode()
    assert html.count('class="timetable-day"') == 2
    assert html.index("Открытие программы") < html.index("Бюджет") < html.index("Госзакупки")
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404


class TestCalendarFeed:
    def test_the_feed_lists_the_sessions_in_almaty_time_with_stable_uids(
        self, client, session, learner
    ):
        feed = services.calendar_feed_renew(user=learner)
        response = client.get(feed_url(feed))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
        (event,) = calendar.walk("VEVENT")
        assert event["UID"] == f"session-{session.pk}@testserver"
        assert event.decoded("DTSTART") == session.starts_at
        assert str(event.decoded("DTSTART").tzinfo) == "Asia/Almaty"
        assert str(event["LOCATION"]) == "Кокшетау"
        assert event["SEQUENCE"] == 0

        session.place = "Астана"
        session.save()
        (event,) = Calendar.from_ical(client.get(feed_url(feed)).content).walk("VEVENT")
        assert event["UID"] == f"session-{session.pk}@testserver"
        assert event["SEQUENCE"] == 1
        assert event.decoded("LAST-MODIFIED") >= session.updated_at.replace(microsecond=0)
        assert str(event["LOCATION"]) == "Астана"

    def test_a_revoked_token_is_404(self, client, session, learner):
        feed = services.calendar_feed_renew(user=learner)
        old = feed_url(feed)
        services.calendar_feed_renew(user=learner)
        assert client.get(old).status_code == 404

    def test_another_users_token_does_not_open_a_feed(self, client, session, learner, trainer):
        mine = services.calendar_feed_renew(user=learner)
        theirs = services.calendar_feed_renew(user=trainer)
        assert client.get(feed_url(mine, token=selectors.feed_token(theirs))).status_code == 404
        assert client.get(feed_url(mine, token="0" * 40)).status_code == 404

    def test_the_feed_of_an_inactive_account_is_closed(self, client, session, learner):
        feed = services.calendar_feed_renew(user=learner)
        learner.is_active = False
        learner.save()
        assert client.get(feed_url(feed)).status_code == 404


class TestDashboardPanel:
    def test_learner_sees_the_next_sessions_and_gets_a_link(self, client, cohort, learner):
        add_session(cohort, day=timezone.localdate() - timedelta(days=2), title="Прошедшее")
        add_session(cohort, day=timezone.localdate() + timedelta(days=2), title="Следующее")
        client.force_login(learner)
        html = client.get("/ru/dashboard/").content.decode()
        assert "Следующее" in html
        assert "Прошедшее" not in html
        assert "webcal://" not in html  # no link until asked for
        response = client.post(reverse("schedule_calendar_feed_new"), {"next": "/ru/dashboard/"})
        assert response.status_code == 302
        assert response["Location"] == "/ru/dashboard/"
        html = client.get("/ru/dashboard/").content.decode()
        feed = learner.calendar_feed
        assert f"webcal://testserver{feed_url(feed)}" in html

    def test_the_dashboards_link_form_posts_with_csrf_checks_on(self, cohort, learner):
        """The panel renders in a context of its own: its form must still carry the
        page's CSRF token, or a browser's post is refused (403)."""
        add_session(cohort, day=timezone.localdate() + timedelta(days=2), title="Следующее")
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(learner)
        html = browser.get("/ru/dashboard/").content.decode()
        form = re.search(r"<form[^>]*calendar/new/.*?</form>", html, re.S).group()
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', form).group(1)
        response = browser.post(
            reverse("schedule_calendar_feed_new"),
            {"csrfmiddlewaretoken": token, "next": "/ru/dashboard/"},
        )
        assert response.status_code == 302
        assert CalendarFeed.objects.filter(user=learner).exists()

    def test_an_edited_session_shows_as_edited_and_each_cohort_sees_its_own(
        self, client, cohort, other_cohort, learner, trainer
    ):
        """Session lines are kept in the process by what they show: an edit is seen on
        the next request, and a learner of another cohort never gets this one's."""
        day = timezone.localdate() + timedelta(days=2)
        session = add_session(cohort, day=day, title="Бюджет", place="Кокшетау")
        add_session(other_cohort, day=day, title="Другой поток")
        client.force_login(learner)
        html = client.get("/ru/dashboard/").content.decode()
        assert "Бюджет" in html and "Кокшетау" in html
        assert "Другой поток" not in html
        session.title, session.place, session.trainer = "Налоги", "Астана", trainer
        session.starts_at += timedelta(hours=1)
        session.save()
        html = client.get("/ru/dashboard/").content.decode()
        assert "Налоги" in html and "Астана" in html and "Бюджет" not in html
        assert timezone.localtime(session.starts_at).strftime("%H:%M") in html
        assert "Очно" in html
        kazakh = client.get("/kk/dashboard/").content.decode()  # kept per language
        assert "Күндізгі" in kazakh and "Очно" not in kazakh
        other = UserFactory()
        Enrolment.objects.create(
            learner=other, cohort=other_cohort, course_key=other_cohort.course.translation_key
        )
        client.force_login(other)
        html = client.get("/ru/dashboard/").content.decode()
        assert "Другой поток" in html and "Налоги" not in html

    def test_new_link_is_a_post_and_does_not_redirect_off_site(self, client, learner):
        client.force_login(learner)
        assert client.get(reverse("schedule_calendar_feed_new")).status_code == 405
        response = client.post(
            reverse("schedule_calendar_feed_new"), {"next": "https://evil.example/"}
        )
        assert response["Location"] == "/ru/dashboard/"


def test_report_shows_each_learners_attendance(client, trainer, cohort, learner):
    today = timezone.localdate()
    sessions = [add_session(cohort, day=today - timedelta(days=d)) for d in (1, 2)]
    services.attendance_save(session=sessions[0], marks={learner.pk: "present"}, actor=trainer)
    client.force_login(trainer)
    html = client.get(f"/admin/learning/report/?cohort={cohort.pk}").content.decode()
    assert "50% (1/2)" in html
    csv = b"".join(client.get(f"/admin/learning/report/?cohort={cohort.pk}&export=csv")).decode()
    assert "50% (1/2)" in csv


def test_attendance_grid_and_its_csv(client, trainer, other_trainer, cohort, learner):
    session = add_session(cohort, day=date(2021, 10, 4))
    services.attendance_save(session=session, marks={learner.pk: "excused"}, actor=trainer)
    url = reverse("schedule_grid", kwargs={"pk": cohort.pk})
    client.force_login(trainer)
    html = client.get(url).content.decode()
    with translation.override("ru"):  # the admin speaks the trainer's language
        assert str(Attendance.Status.EXCUSED.label) in html
    body = b"".join(client.get(url + "?export=csv").streaming_content).decode()
    assert learner.full_name in body
    assert "2021-10-04 10:00" in body
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404
    assert Enrolment.objects.count() == 1
