"""Sessions in the Wagtail admin: scoped to the trainer's cohorts like the cohorts are,
entered as a day and two times in Asia/Almaty, and the timetable copy."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.urls import reverse

from courses.models import ModulePage
from schedule.models import Session
from tests.factories.courses import build_course
from tests.schedule.conftest import add_session

ALMATY = ZoneInfo("Asia/Almaty")


def _form(cohort, **fields) -> dict:
    return {
        "cohort": cohort.pk,
        "title": "Государственные закупки",
        "day": "2026-03-02",
        "start_time": "10:00",
        "end_time": "13:00",
        "format": "face_to_face",
        "place": "Кокшетау, филиал АГУ",
        "link": "",
        **fields,
    }


def test_trainer_lists_and_edits_only_the_sessions_of_their_cohorts(
    client, trainer, cohort, other_cohort
):
    mine = add_session(cohort, day=date(2021, 10, 4), title="Моё занятие")
    theirs = add_session(other_cohort, day=date(2021, 10, 4), title="Чужое занятие")
    client.force_login(trainer)
    html = client.get(reverse("schedule_session:index")).content.decode()
    assert "Моё занятие" in html
    assert "Чужое занятие" not in html
    assert client.get(reverse("schedule_session:edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("schedule_session:delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("schedule_session:edit", args=[mine.pk])).status_code == 200
    response = client.post(reverse("schedule_session:add"), _form(other_cohort))
    assert response.status_code == 200  # the other cohort is not a choice
    assert not Session.objects.filter(title="Государственные закупки").exists()


def test_a_session_is_entered_as_a_day_and_times_in_almaty(client, trainer, cohort, course):
    module = ModulePage.objects.child_of(course).first()
    client.force_login(trainer)
    response = client.post(
        reverse("schedule_session:add"), _form(cohort, module=module.pk, trainer=trainer.pk)
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    session = Session.objects.get()
    assert session.starts_at == datetime(2026, 3, 2, 10, tzinfo=ALMATY)
    assert session.ends_at == datetime(2026, 3, 2, 13, tzinfo=ALMATY)
    assert (session.module, session.trainer) == (module, trainer)
    html = client.get(reverse("schedule_session:edit", args=[session.pk])).content.decode()
    assert 'value="10:00"' in html


def test_the_form_keeps_modules_trainers_and_times_to_the_cohort(
    client, trainer, other_trainer, cohort, home_pages
):
    other_course = build_course(home_pages["ru"], slug="other", modules=1)
    foreign_module = ModulePage.objects.child_of(other_course).first()
    client.force_login(trainer)
    add = reverse("schedule_session:add")
    for fields in (
        {"module": foreign_module.pk},
        {"trainer": other_trainer.pk},
        {"end_time": "09:00"},
        {"format": "online"},  # without a link
    ):
        assert client.post(add, _form(cohort, **fields)).status_code == 200, fields
    add_session(cohort, day=date(2026, 3, 2))
    response = client.post(add, _form(cohort))
    assert response.status_code == 200
    assert Session.objects.count() == 1


def test_copy_a_timetable_from_the_admin(client, trainer, other_trainer, cohort, course):
    from tests.factories.courses import build_cohort

    target = build_cohort(course, name="Весенний поток", trainers=[trainer])
    foreign = build_cohort(course, name="Чужой поток", trainers=[other_trainer])
    add_session(cohort, day=date(2021, 10, 4))
    add_session(cohort, day=date(2021, 10, 5), start=time(14, 30), end=time(17, 30))
    client.force_login(trainer)
    url = reverse("schedule_copy")
    data = {"source": cohort.pk, "target": target.pk, "starts_on": "2026-03-02"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # twice: nothing more
    assert target.sessions.count() == 2
    assert client.post(url, {**data, "target": foreign.pk}).status_code == 200
    assert not foreign.sessions.exists()
    assert client.post(url, {**data, "target": cohort.pk}).status_code == 200  # itself
    assert cohort.sessions.count() == 2


def test_learners_cannot_reach_the_timetable_admin(client, learner, cohort):
    client.force_login(learner)
    assert client.get(reverse("schedule_copy")).status_code in (302, 403)
    assert client.get(reverse("schedule_grid", args=[cohort.pk])).status_code in (302, 403)


def test_a_trainer_sets_an_attendance_requirement_for_their_courses_only(
    client, trainer, cohort, home_pages
):
    from schedule.models import CourseAttendanceRule
    from tests.factories.courses import build_course

    other_course = build_course(home_pages["ru"], modules=1, lessons=1, slug="other")
    client.force_login(trainer)
    url = reverse("schedule_rule:add")
    assert client.get(url).status_code == 200
    client.post(url, {"course": other_course.pk, "min_percent": 80})
    assert not CourseAttendanceRule.objects.exists()
    client.post(url, {"course": cohort.course.pk, "min_percent": 80})
    assert CourseAttendanceRule.objects.get().course_id == cohort.course.pk
