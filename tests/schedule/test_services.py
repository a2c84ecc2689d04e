"""Copying a timetable, taking attendance, the attendance share in the completion rule,
and renewing a calendar link."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certification.models import Certificate
from courses import services as course_services
from courses.models import Enrolment, LessonPage, ModulePage
from schedule import selectors, services
from schedule.models import Attendance, CalendarFeed, CourseAttendanceRule, Session
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course
from tests.schedule.conftest import add_session


def _local(value):
    return timezone.localtime(value)


def test_copy_moves_the_timetable_to_the_new_start_keeping_weekdays_and_times(
    cohort, other_cohort, trainer, other_trainer, course
):
    module = ModulePage.objects.child_of(course).first()
    add_session(cohort, day=date(2021, 10, 4), title="Открытие", module=module, trainer=trainer)
    add_session(cohort, day=date(2021, 10, 4), start=time(14, 30), end=time(17, 30))
    add_session(cohort, day=date(2021, 10, 11), place="Кокшетау")

    added = services.timetable_copy(source=cohort, target=other_cohort, starts_on=date(2026, 3, 2))

    assert added == 3
    copies = list(other_cohort.sessions.order_by("starts_at"))
    assert [(_local(s.starts_at).date(), _local(s.starts_at).time()) for s in copies] == [
        (date(2026, 3, 2), time(10)),
        (date(2026, 3, 2), time(14, 30)),
        (date(2026, 3, 9), time(10)),
    ]
    assert _local(copies[1].ends_at).time() == time(17, 30)
    assert copies[0].module == module  # same course
    assert copies[0].trainer is None  # does not teach the target cohort
    assert copies[2].place == "Кокшетау"
    assert cohort.sessions.count() == 3  # the source is untouched


def test_copy_is_idempotent(cohort, other_cohort):
    add_session(cohort, day=date(2021, 10, 4))
    add_session(cohort, day=date(2021, 10, 5))
    services.timetable_copy(source=cohort, target=other_cohort, starts_on=date(2026, 3, 2))
    again = services.timetable_copy(source=cohort, target=other_cohort, starts_on=date(2026, 3, 2))
    assert again == 0
    assert other_cohort.sessions.count() == 2


def test_copy_drops_modules_of_another_course(cohort, home_pages, trainer):
    other_course = build_course(home_pages["ru"], slug="other", modules=1)
    target = build_cohort(other_course, name="Другой курс", trainers=[trainer])
    module = ModulePage.objects.descendant_of(cohort.course).first()
    add_session(cohort, day=date(2021, 10, 4), module=module, trainer=trainer)
    services.timetable_copy(source=cohort, target=target, starts_on=date(2026, 3, 2))
    copy = target.sessions.get()
    assert copy.module is None
    assert copy.trainer == trainer


def test_copy_into_the_same_cohort_is_refused(cohort):
    add_session(cohort, day=date(2021, 10, 4))
    with pytest.raises(ValidationError):
        services.timetable_copy(source=cohort, target=cohort, starts_on=date(2026, 3, 2))


def test_editing_a_session_raises_its_sequence(session):
    assert session.sequence == 0
    before = session.updated_at
    session.place = "Онлайн"
    session.save()
    session.refresh_from_db()
    assert session.sequence == 1
    assert session.updated_at >= before


def test_attendance_is_saved_as_given(session, learner, trainer, cohort):
    second = UserFactory()
    course_services.enrolment_create(learner=second, cohort=cohort)
    services.attendance_save(
        session=session, marks={learner.pk: "present", second.pk: "late"}, actor=trainer
    )
    services.attendance_save(session=session, marks={second.pk: "excused"}, actor=trainer)
    marks = dict(Attendance.objects.values_list("learner_id", "status"))
    assert marks == {learner.pk: "present", second.pk: "excused"}  # the first kept its mark
    assert Attendance.objects.get(learner=second).marked_by == trainer


def test_a_learner_outside_the_cohort_rejects_the_whole_set(session, learner, trainer):
    stranger = UserFactory()
    with pytest.raises(ValidationError):
        services.attendance_save(
            session=session, marks={learner.pk: "present", stranger.pk: "present"}, actor=trainer
        )
    with pytest.raises(ValidationError):
        services.attendance_save(session=session, marks={learner.pk: "here"}, actor=trainer)
    assert not Attendance.objects.exists()


def test_share_counts_present_and_late_of_the_sessions_held(cohort, learner, trainer):
    today = timezone.localdate()
    held = [add_session(cohort, day=today - timedelta(days=d)) for d in (1, 2, 3, 4)]
    add_session(cohort, day=today + timedelta(days=1))  # not held yet
    for session, status in zip(held, ["present", "late", "absent", "excused"], strict=True):
        services.attendance_save(session=session, marks={learner.pk: status}, actor=trainer)
    enrolments = Enrolment.objects.filter(cohort=cohort)
    share = selectors.attendance_shares(enrolments=enrolments)[enrolments.get().pk]
    assert (share.attended, share.held, share.percent) == (2, 4, 50)


class TestAttendanceInTheCompletionRule:
    """A course that asks for 75 % of the sessions: the learner who did every lesson
    completes (and gets a certificate) only with the attendance."""

    @pytest.fixture
    def sessions(self, cohort, course):
        CourseAttendanceRule.objects.create(course=course, min_percent=75)
        return [add_session(cohort, day=date(2021, 10, 4 + d)) for d in range(4)]

    def _do_all_lessons(self, learner, course):
        for lesson in LessonPage.objects.descendant_of(course):
            course_services.lesson_complete(learner=learner, lesson=lesson)
        return Enrolment.objects.get(learner=learner)

    def test_below_the_share_the_learner_does_not_complete(
        self, sessions, learner, trainer, course, django_capture_on_commit_callbacks
    ):
        for session in sessions[:2]:
            services.attendance_save(session=session, marks={learner.pk: "present"}, actor=trainer)
        with django_capture_on_commit_callbacks(execute=True):
            enrolment = self._do_all_lessons(learner, course)
        assert enrolment.completed_at is None
        assert not Certificate.objects.filter(holder=learner).exists()

    def test_above_the_share_the_learner_completes(
        self, sessions, learner, trainer, course, django_capture_on_commit_callbacks
    ):
        for session in sessions[:3]:
            services.attendance_save(session=session, marks={learner.pk: "late"}, actor=trainer)
        with django_capture_on_commit_callbacks(execute=True):
            enrolment = self._do_all_lessons(learner, course)
        assert enrolment.completed_at is not None
        assert Certificate.objects.filter(holder=learner).exists()

    def test_the_mark_that_reaches_the_share_completes_the_course(
        self, sessions, learner, trainer, course, django_capture_on_commit_callbacks
    ):
        for session in sessions[:2]:
            services.attendance_save(session=session, marks={learner.pk: "present"}, actor=trainer)
        assert self._do_all_lessons(learner, course).completed_at is None
        with django_capture_on_commit_callbacks(execute=True):
            services.attendance_save(
                session=sessions[2], marks={learner.pk: "present"}, actor=trainer
            )
        assert Enrolment.objects.get(learner=learner).completed_at is not None
        assert Certificate.objects.filter(holder=learner).exists()

    def test_a_course_without_the_rule_ignores_attendance(self, cohort, learner, course):
        add_session(cohort, day=date(2021, 10, 4))
        assert self._do_all_lessons(learner, course).completed_at is not None


def test_a_new_calendar_link_revokes_the_old(learner):
    feed = services.calendar_feed_renew(user=learner)
    old = (feed.public_id, selectors.feed_token(feed))
    assert selectors.feed_by_token(public_id=old[0], token=old[1]) == feed
    renewed = services.calendar_feed_renew(user=learner)
    assert CalendarFeed.objects.count() == 1
    assert selectors.feed_by_token(public_id=old[0], token=old[1]) is None
    assert selectors.feed_by_token(public_id=renewed.public_id, token=selectors.feed_token(renewed))


def test_the_feed_lists_the_sessions_of_the_cohorts_learnt_and_taught(
    session, learner, trainer, other_cohort, other_trainer
):
    elsewhere = add_session(other_cohort, day=date(2030, 1, 7))
    assert list(selectors.feed_sessions(user=learner)) == [session]
    assert list(selectors.feed_sessions(user=trainer)) == [session]
    assert list(selectors.feed_sessions(user=other_trainer)) == [elsewhere]
    assert Session.objects.count() == 2
