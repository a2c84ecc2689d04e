"""Release and due dates per cohort: what a learner may open, when work is late, and
what the dashboard says is due."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from courses import selectors, services
from courses.models import CohortItemDates, ItemCompletion, LessonPage, ModulePage, QuizPage
from quizzes import services as quiz_services
from quizzes.models import Attempt
from tests.factories import UserFactory
from tests.factories import quizzes as make
from tests.factories.courses import build_cohort, build_course, translate_course

ALMATY = ZoneInfo("Asia/Almaty")
BODY = "четвёртый уровень бюджета"  # the lesson body's text (tests/factories/courses.py)


def _modules(course):
    return list(ModulePage.objects.child_of(course).order_by("path"))


def _lessons(module):
    return list(LessonPage.objects.child_of(module).order_by("path"))


def _test_of(module):
    return QuizPage.objects.child_of(module).filter(kind=QuizPage.Kind.MODULE_TEST).get()


def _dates(cohort, page, *, opens=None, due=None):
    return CohortItemDates.objects.create(
        cohort=cohort, item_key=page.translation_key, opens_at=opens, due_at=due
    )


def _text(msgid: str, **values) -> str:
    with translation.override("ru"):
        return gettext(msgid) % values if values else gettext(msgid)


@pytest.fixture
def later():
    """A moment two days ahead, on the hour."""
    return (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)


@pytest.fixture
def locked(cohort, course, later):
    """The first module opens for the cohort in two days."""
    module = _modules(course)[0]
    _dates(cohort, module, opens=later)
    return module


def test_a_lesson_of_a_module_not_open_yet_shows_when_it_opens_never_its_body(
    client, learner, enrolment, locked, later
):
    lesson = _lessons(locked)[0]
    client.force_login(learner)
    response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert BODY not in html
    with translation.override("ru"):
        when = later.astimezone(ALMATY).strftime("%H:%M")
    assert _text("Opens on %(date)s", date="") in html and when in html
    assert reverse("lesson_done", args=[lesson.pk]) not in html  # no "mark as done"


def test_the_module_lists_its_lessons_without_links_and_the_course_the_module(
    client, learner, enrolment, course, locked
):
    client.force_login(learner)
    module_html = client.get(locked.url).content.decode()
    lesson = _lessons(locked)[0]
    assert lesson.title in module_html
    assert f'href="{lesson.url}"' not in module_html
    assert _text("Opens on %(date)s", date="") in module_html
    course_html = client.get(course.url).content.decode()
    assert f'href="{locked.url}"' not in course_html
    assert f'href="{_modules(course)[1].url}"' in course_html  # the other module is open


def test_marking_done_before_the_release_is_refused(client, learner, enrolment, locked):
    lesson = _lessons(locked)[0]
    client.force_login(learner)
    assert client.post(reverse("lesson_done", args=[lesson.pk])).status_code == 403
    with pytest.raises(services.NotReleased):
        services.lesson_complete(learner=learner, lesson=lesson)
    assert not ItemCompletion.objects.exists()


def test_a_test_of_a_module_not_open_yet_cannot_be_started(client, learner, enrolment, locked):
    page = _test_of(locked)
    page.quiz = make.quiz_with([make.true_false(make.category())])
    page.save()
    client.force_login(learner)
    html = client.get(page.url).content.decode()
    assert reverse("quiz_detail", args=[page.quiz_id]) not in html
    assert client.get(f"/ru/quizzes/{page.quiz_id}/").status_code == 404
    assert client.post(f"/ru/quizzes/{page.quiz_id}/start/").status_code == 404
    assert not Attempt.objects.exists()


def test_a_quiz_put_in_a_module_not_open_yet_is_closed_at_once(client, learner, enrolment, locked):
    quiz = make.quiz_with([make.true_false(make.category())])
    client.force_login(learner)
    # Hosted by no course: open to anyone signed in (and now kept so in the process).
    assert client.get(f"/ru/quizzes/{quiz.pk}/").status_code == 200
    page = _test_of(locked)
    page.quiz = quiz
    page.save()
    assert client.get(f"/ru/quizzes/{quiz.pk}/").status_code == 404
    assert client.post(f"/ru/quizzes/{quiz.pk}/start/").status_code == 404


def test_everything_opens_at_the_date(client, learner, enrolment, locked, later):
    lesson = _lessons(locked)[0]
    client.force_login(learner)
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        assert BODY in client.get(lesson.url).content.decode()
        response = client.post(reverse("lesson_done", args=[lesson.pk]))
        assert response.status_code == 302
    assert ItemCompletion.objects.get(item_key=lesson.translation_key).late is False


def test_trainers_and_staff_are_never_held_back(client, trainer, enrolment, locked):
    client.force_login(trainer)
    assert BODY in client.get(_lessons(locked)[0].url).content.decode()


def test_the_continue_link_skips_what_is_not_open(client, learner, enrolment, course, locked):
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    first_open = _lessons(_modules(course)[1])[0]
    assert f'href="{first_open.url}"' in html
    assert f'href="{_lessons(locked)[0].url}"' not in html


def test_work_after_the_due_date_is_accepted_and_marked_late(
    client, learner, enrolment, course, cohort
):
    module = _modules(course)[0]
    _dates(cohort, module, due=timezone.now() - timedelta(hours=1))
    first, second = _lessons(module)
    services.lesson_complete(learner=learner, lesson=first)
    assert ItemCompletion.objects.get(item_key=first.translation_key).late is True
    # the flag is history: moving the due date later does not clear it
    CohortItemDates.objects.update(due_at=timezone.now() + timedelta(days=1))
    services.lesson_complete(learner=learner, lesson=second)
    assert ItemCompletion.objects.get(item_key=first.translation_key).late is True
    assert ItemCompletion.objects.get(item_key=second.translation_key).late is False
    client.force_login(learner)
    html = client.get(module.url).content.decode()
    assert html.count('class="late"') == 1


def test_a_test_passed_after_its_due_date_is_late_by_the_time_it_was_handed_in(
    learner, enrolment, course, cohort, django_capture_on_commit_callbacks
):
    page = _test_of(_modules(course)[0])
    page.quiz = make.quiz_with([make.true_false(make.category())])
    page.save()
    due = timezone.now() + timedelta(days=1)
    _dates(cohort, page, due=due)
    with time_machine.travel(due + timedelta(hours=2), tick=False):
        attempt = quiz_services.attempt_start(quiz=page.quiz, user=learner)
        quiz_services.answer_save(
            attempt=attempt,
            user=learner,
            question_id=attempt.layout[0]["question"],
            response={"value": True},
        )
        with django_capture_on_commit_callbacks(execute=True):
            quiz_services.attempt_submit(attempt=attempt, user=learner)
    assert ItemCompletion.objects.get(item_key=page.translation_key).late is True


def test_the_quizs_own_dates_still_hold(learner, enrolment, course, cohort):
    page = _test_of(_modules(course)[0])
    # the cohort has the test due tomorrow, but the quiz itself closed an hour ago
    page.quiz = make.quiz_with(
        [make.true_false(make.category())], closes_at=timezone.now() - timedelta(hours=1)
    )
    page.save()
    _dates(cohort, page, due=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError):
        quiz_services.attempt_start(quiz=page.quiz, user=learner)
    # the later opening wins: the cohort opened the test, the quiz opens tomorrow
    page.quiz.closes_at, page.quiz.opens_at = None, timezone.now() + timedelta(days=1)
    page.quiz.save()
    with pytest.raises(ValidationError):
        quiz_services.attempt_start(quiz=page.quiz, user=learner)


def test_a_test_can_open_later_than_its_module(client, learner, enrolment, course, cohort, later):
    module = _modules(course)[0]
    page = _test_of(module)
    _dates(cohort, page, opens=later)
    client.force_login(learner)
    html = client.get(module.url).content.decode()
    assert f'href="{page.url}"' not in html
    assert f'href="{_lessons(module)[0].url}"' in html


def test_another_cohorts_dates_do_not_apply(client, learner, enrolment, course, later):
    other = build_cohort(course, name="Поток 2")
    _dates(other, _modules(course)[0], opens=later)
    client.force_login(learner)
    assert BODY in client.get(_lessons(_modules(course)[0])[0].url).content.decode()


def test_a_learner_of_two_cohorts_of_two_courses(client, home_pages, learner, enrolment, later):
    second = build_course(home_pages["ru"], slug="second")
    cohort2 = build_cohort(second, name="Поток Б")
    services.enrolment_create(learner=learner, cohort=cohort2)
    _dates(cohort2, _modules(second)[0], opens=later)
    client.force_login(learner)
    assert BODY not in client.get(_lessons(_modules(second)[0])[0].url).content.decode()
    assert BODY in client.get(_lessons(_modules(second)[1])[0].url).content.decode()
    course1 = enrolment.cohort.course
    assert BODY in client.get(_lessons(_modules(course1)[0])[0].url).content.decode()


def test_translations_share_the_dates(client, learner, enrolment, course, locked):
    kk = translate_course(course, "kk")
    lesson_kk = _lessons(_modules(kk)[0])[0]
    client.force_login(learner)
    assert BODY not in client.get(lesson_kk.url).content.decode()
    with pytest.raises(services.NotReleased):
        services.lesson_complete(learner=learner, lesson=lesson_kk)


def test_nothing_opens_before_the_cohort_starts_unless_a_date_says_so(client, course, learner):
    starts_on = timezone.localdate() + timedelta(days=5)
    cohort = build_cohort(course)
    cohort.starts_on = starts_on
    cohort.save()
    services.enrolment_create(learner=learner, cohort=cohort)
    first, second = _modules(course)
    _dates(cohort, second, opens=timezone.now() - timedelta(days=1))
    client.force_login(learner)
    assert BODY not in client.get(_lessons(first)[0].url).content.decode()
    assert BODY in client.get(_lessons(second)[0].url).content.decode()
    release, _dates_read = selectors.item_release(
        enrolment=learner.enrolments.get(), page=_lessons(first)[0]
    )
    assert release.opens_at == datetime.combine(starts_on, datetime.min.time(), tzinfo=ALMATY)


def test_after_the_cohort_ends_work_is_readable_and_late(client, course, learner):
    cohort = build_cohort(course)
    cohort.starts_on, cohort.ends_on = date(2021, 10, 4), date(2021, 10, 22)
    cohort.save()
    services.enrolment_create(learner=learner, cohort=cohort)
    lesson = _lessons(_modules(course)[0])[0]
    client.force_login(learner)
    assert BODY in client.get(lesson.url).content.decode()
    services.lesson_complete(learner=learner, lesson=lesson)
    assert ItemCompletion.objects.get().late is True


def test_the_dashboard_lists_what_is_due_next_and_what_is_overdue(
    client, learner, enrolment, course, cohort
):
    first, second = _modules(course)
    now = timezone.now()
    _dates(cohort, first, due=now - timedelta(days=1))  # overdue
    _dates(cohort, second, due=now + timedelta(days=3))  # due next
    _dates(cohort, _test_of(second), due=now + timedelta(days=4))
    done = _test_of(first)
    _dates(cohort, done, due=now + timedelta(days=2))
    ItemCompletion.objects.create(enrolment=enrolment, item_key=done.translation_key, source="quiz")
    client.force_login(learner)
    response = client.get("/ru/dashboard/")
    overdue = [d.title for d, _course in response.context["overdue"]]
    due_next = [d.title for d, _course in response.context["due_next"]]
    assert overdue == [first.title]
    assert due_next == [second.title, _test_of(second).title]  # the passed test is not due
    html = response.content.decode()
    assert f'href="{first.url}"' in html and f'href="{_test_of(second).url}"' in html


def test_a_completed_module_is_not_overdue(client, learner, enrolment, course, cohort):
    first = _modules(course)[0]
    _dates(cohort, first, due=timezone.now() + timedelta(days=1))
    for lesson in _lessons(first):
        services.lesson_complete(learner=learner, lesson=lesson)
    ItemCompletion.objects.create(
        enrolment=enrolment, item_key=_test_of(first).translation_key, source="quiz"
    )
    client.force_login(learner)
    assert client.get("/ru/dashboard/").context["due_next"] == []


# Editing the dates ---------------------------------------------------------------


def _dates_url(cohort) -> str:
    return reverse("courses_cohort_dates", args=[cohort.pk])


def _field(prefix, page) -> str:
    return f"{prefix}_{page.translation_key.hex}"


def test_the_cohorts_trainer_sets_the_dates_in_almaty_time(client, trainer, cohort, course):
    module = _modules(course)[0]
    client.force_login(trainer)
    html = client.get(_dates_url(cohort)).content.decode()
    assert module.title in html and _test_of(module).title in html
    response = client.post(
        _dates_url(cohort),
        {_field("opens", module): "2021-10-12T09:00", _field("due", module): "2021-10-20T18:00"},
    )
    assert response.status_code == 302
    row = CohortItemDates.objects.get(cohort=cohort, item_key=module.translation_key)
    assert row.opens_at == datetime(2021, 10, 12, 9, 0, tzinfo=ALMATY)
    assert row.due_at == datetime(2021, 10, 20, 18, 0, tzinfo=ALMATY)
    # changing a date bumps the sequence calendars read; clearing both removes the row
    client.post(_dates_url(cohort), {_field("opens", module): "2021-10-13T09:00"})
    assert CohortItemDates.objects.get().sequence == 1
    client.post(_dates_url(cohort), {})
    assert not CohortItemDates.objects.exists()


def test_a_due_date_before_the_opening_is_refused(client, trainer, cohort, course):
    module = _modules(course)[0]
    client.force_login(trainer)
    response = client.post(
        _dates_url(cohort),
        {_field("opens", module): "2021-10-12T09:00", _field("due", module): "2021-10-11T09:00"},
    )
    assert response.status_code == 200
    assert not CohortItemDates.objects.exists()


def test_a_trainer_of_another_cohort_cannot_see_or_set_its_dates(
    client, other_trainer, cohort, course
):
    client.force_login(other_trainer)
    assert client.get(_dates_url(cohort)).status_code == 404
    module = _modules(course)[0]
    response = client.post(_dates_url(cohort), {_field("opens", module): "2021-10-12T09:00"})
    assert response.status_code == 404
    assert not CohortItemDates.objects.exists()


def test_a_learner_cannot_set_dates(client, learner, enrolment, cohort):
    client.force_login(learner)
    assert client.post(_dates_url(cohort), {}).status_code in {302, 403}
    assert not CohortItemDates.objects.exists()


def test_dates_only_for_the_cohorts_own_course(cohort, home_pages):
    other = build_course(home_pages["ru"], slug="other")
    with pytest.raises(ValidationError):
        services.cohort_dates_set(
            cohort=cohort,
            dates={_modules(other)[0].translation_key: (timezone.now(), None)},
            actor="test",
        )
    assert not CohortItemDates.objects.exists()


def test_a_staff_member_who_reads_every_cohort_but_edits_none_is_refused(client, cohort):
    from django.contrib.auth.models import Group

    registrar = UserFactory(email="registrar@example.com")
    registrar.groups.add(Group.objects.get(name="Registrars"))
    client.force_login(registrar)
    assert client.get(_dates_url(cohort)).status_code in {302, 403}


def test_the_trainers_report_shows_late_work(client, trainer, learner, enrolment, course, cohort):
    module = _modules(course)[0]
    page = _test_of(module)
    page.quiz = make.quiz_with([make.true_false(make.category())])
    page.save()
    _dates(cohort, module, due=timezone.now() - timedelta(days=1))
    services.lesson_complete(learner=learner, lesson=_lessons(module)[0])
    attempt = quiz_services.attempt_start(quiz=page.quiz, user=learner)
    quiz_services.answer_save(
        attempt=attempt,
        user=learner,
        question_id=attempt.layout[0]["question"],
        response={"value": False},  # failed, and late all the same
    )
    quiz_services.attempt_submit(attempt=attempt, user=learner)
    client.force_login(trainer)
    report = client.get("/admin/learning/report/", {"cohort": cohort.pk})
    (row,) = report.context["report"].rows
    assert [cell.late for cell in row.cells] == [1, 0]
    assert 'class="lms-late"' in report.content.decode()
    detail = client.get(f"/admin/learning/enrolments/{enrolment.pk}/")
    assert [late for _attempt, late in detail.context["attempts"]] == [True]
    assert detail.content.decode().count('class="lms-late"') == 2  # the lesson, the attempt


def test_closed_items_say_what_the_release_rule_says_of_every_item(
    learner, enrolment, course, cohort, later
):
    """ "Continue" skips the items ``closed_items`` names: for every item of a course
    with a module not open yet, a test opening after its module, a test whose own date
    has passed and plain lessons, the same answer as ``CohortDates.release``."""
    first, second = _modules(course)
    _dates(cohort, first, opens=later)  # the whole module waits
    _dates(cohort, _test_of(second), opens=later)  # the test opens after its module
    _dates(cohort, _test_of(first), opens=timezone.now() - timedelta(days=1))  # passed
    dates = selectors.cohort_dates(cohort=cohort)
    summary = selectors.course_summary(course=course, enrolment=enrolment)
    closed = selectors.closed_items(dates=dates, modules=summary.modules)
    answers = {
        item.path: (
            closed.covers(module.key, item.key),
            dates.release(module_key=module.key, item_key=item.key).locked,
        )
        for module, item in summary.outline.items()
    }
    assert len(answers) == 2 * 2 + 2 + 1  # lessons, module tests, the final exam
    assert all(covered == locked for covered, locked in answers.values()), answers
    assert sum(covered for covered, _locked in answers.values()) == 2 + 1 + 1
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        assert selectors.closed_items(dates=dates, modules=summary.modules) is None


def test_the_dashboards_deadlines_follow_a_publish_and_each_learners_work(
    client, learner, enrolment, course, cohort
):
    """What a deadline shows of its module is kept in the process until a publish;
    whether it is met is each learner's own."""
    first = _modules(course)[0]
    test = _test_of(first)
    _dates(cohort, test, due=timezone.now() + timedelta(days=2))
    other = UserFactory()
    services.enrolment_create(learner=other, cohort=cohort)
    ItemCompletion.objects.create(enrolment=enrolment, item_key=test.translation_key, source="quiz")
    client.force_login(learner)
    assert client.get("/ru/dashboard/").context["due_next"] == []  # passed
    client.force_login(other)
    assert [d.title for d, _c in client.get("/ru/dashboard/").context["due_next"]] == [test.title]
    test.title = "Итоговый тест модуля"
    test.save_revision().publish()
    due_next = client.get("/ru/dashboard/").context["due_next"]
    assert [(d.title, d.kind) for d, _c in due_next] == [("Итоговый тест модуля", "module_test")]
