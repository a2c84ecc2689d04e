"""Enrolment, completing items and the course completion rule."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from courses import selectors, services
from courses.models import Enrolment, ItemCompletion, LessonPage, QuizPage
from courses.signals import course_completed
from tests.factories import UserFactory
from tests.factories.courses import build_cohort


@pytest.fixture
def completions():
    """Every course_completed signal sent during the test."""
    received = []

    def receiver(sender, enrolment, **kwargs):
        received.append(enrolment.pk)

    course_completed.connect(receiver)
    yield received
    course_completed.disconnect(receiver)


def _lessons(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def _tests(course):
    return list(QuizPage.objects.descendant_of(course).order_by("path"))


def _finish(learner, course, *, skip_last_lesson=False):
    lessons = _lessons(course)
    if skip_last_lesson:
        lessons = lessons[:-1]
    for lesson in lessons:
        services.lesson_complete(learner=learner, lesson=lesson)
    for quiz in _tests(course):
        services.quiz_page_passed(learner=learner, quiz_page=quiz)


def test_enrolment_is_once_per_learner_and_course(learner, cohort, course):
    first = services.enrolment_create(learner=learner, cohort=cohort)
    again = services.enrolment_create(learner=learner, cohort=cohort)
    assert first.pk == again.pk
    assert Enrolment.objects.count() == 1
    assert first.course_key == course.translation_key
    assert learner.groups.filter(name="Learners").exists()


def test_enrolling_in_another_cohort_of_the_course_moves_the_learner(learner, cohort, course):
    services.enrolment_create(learner=learner, cohort=cohort)
    second = build_cohort(course, name="Поток 2")
    moved = services.enrolment_create(learner=learner, cohort=second)
    assert moved.cohort == second
    assert Enrolment.objects.count() == 1


def test_withdrawn_learner_comes_back_with_progress(learner, cohort, course, enrolment):
    services.lesson_complete(learner=learner, lesson=_lessons(course)[0])
    services.enrolment_withdraw(enrolment=enrolment, actor="trainer@example.com")
    with pytest.raises(services.NotEnrolled):
        services.lesson_complete(learner=learner, lesson=_lessons(course)[1])
    back = services.enrolment_create(learner=learner, cohort=cohort)
    assert back.status == Enrolment.Status.ACTIVE
    assert back.completions.count() == 1


def test_join_by_code_ignores_case_spaces_and_hyphens(learner, cohort):
    code = cohort.invite_code
    typed = f" {code[:4].lower()}-{code[4:]} "
    enrolment = services.enrolment_join(learner=learner, code=typed)
    assert enrolment.cohort == cohort


def test_join_with_an_unknown_or_closed_code_is_refused(learner, cohort):
    with pytest.raises(ValidationError) as error:
        services.enrolment_join(learner=learner, code="NOSUCH99")
    assert error.value.code == "unknown_code"
    cohort.invite_open = False
    cohort.save()
    with pytest.raises(ValidationError):
        services.enrolment_join(learner=learner, code=cohort.invite_code)
    assert not Enrolment.objects.exists()


def test_marking_a_lesson_done_twice_is_harmless(learner, course, enrolment):
    lesson = _lessons(course)[0]
    services.lesson_complete(learner=learner, lesson=lesson)
    services.lesson_complete(learner=learner, lesson=lesson)
    assert ItemCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_opening_the_item_already_recorded_writes_nothing(
    course, enrolment, django_assert_num_queries
):
    first, second = _lessons(course)[:2]
    with django_assert_num_queries(1):
        services.enrolment_visit(enrolment=enrolment, item_key=first.translation_key)
    enrolment.refresh_from_db()
    with django_assert_num_queries(0):
        services.enrolment_visit(enrolment=enrolment, item_key=first.translation_key)
    services.enrolment_visit(enrolment=enrolment, item_key=second.translation_key)
    enrolment.refresh_from_db()
    assert enrolment.last_item_key == second.translation_key


def test_marking_done_without_enrolment_is_refused(course, db):
    stranger = UserFactory()
    with pytest.raises(services.NotEnrolled):
        services.lesson_complete(learner=stranger, lesson=_lessons(course)[0])
    assert not ItemCompletion.objects.exists()


def test_completion_needs_lessons_module_tests_and_final_exam(
    learner, course, enrolment, completions
):
    for lesson in _lessons(course):
        services.lesson_complete(learner=learner, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    tests = _tests(course)
    for quiz in tests[:-1]:
        services.quiz_page_passed(learner=learner, quiz_page=quiz)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # the final exam is still missing
    services.quiz_page_passed(learner=learner, quiz_page=tests[-1])
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert completions == [enrolment.pk]


def test_completion_is_recorded_once(learner, course, enrolment, completions):
    _finish(learner, course)
    first = Enrolment.objects.get(pk=enrolment.pk).completed_at
    _finish(learner, course)
    assert services.completion_record(enrolment=enrolment) is False
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at == first
    assert completions == [enrolment.pk]


def test_trainers_can_relax_the_rule(learner, course, enrolment):
    course.requires_module_tests = False
    course.requires_final_exam = False
    course.save()
    for lesson in _lessons(course):
        services.lesson_complete(learner=learner, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_optional_lessons_do_not_hold_back_completion(learner, course, enrolment):
    optional = _lessons(course)[-1]
    LessonPage.objects.filter(pk=optional.pk).update(required=False)
    _finish(learner, course, skip_last_lesson=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_removing_a_lesson_recomputes_progress_and_completes(
    learner, course, enrolment, django_capture_on_commit_callbacks
):
    _finish(learner, course, skip_last_lesson=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        _lessons(course)[-1].unpublish()
    progress = selectors.course_progress(enrolment=enrolment, course=course)
    assert progress.percent == 100
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None  # the recheck ran on unpublish


def test_deleting_a_lesson_completes_those_who_did_the_rest(
    learner, course, enrolment, django_capture_on_commit_callbacks
):
    _finish(learner, course, skip_last_lesson=True)
    with django_capture_on_commit_callbacks(execute=True):
        _lessons(course)[-1].delete()
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_adding_a_lesson_does_not_uncomplete(learner, course, enrolment):
    _finish(learner, course)
    module = Page.objects.child_of(course).first()
    module.add_child(instance=LessonPage(title="Новый урок", slug="new", body=[]))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    progress = selectors.course_progress(enrolment=enrolment, course=course)
    assert progress.percent < 100  # the new lesson shows as still to do


def test_progress_counts_required_items_per_module(learner, course, enrolment):
    lessons = _lessons(course)
    services.lesson_complete(learner=learner, lesson=lessons[0])
    progress = selectors.course_progress(enrolment=enrolment, course=course)
    first, second = progress.modules
    # module 1: 2 lessons + 1 test; module 2: 2 lessons + 1 test + final exam
    assert (first.percent, second.percent) == (33, 0)
    assert progress.percent == round(100 / 7)
    assert first.state == "in_progress" and second.state == "not_started"


def test_progress_is_shared_by_every_language_copy(learner, course, enrolment, home_pages):
    kk = home_pages["kk"].locale
    kk_lesson = _lessons(course)[0].copy_for_translation(kk, copy_parents=True)
    kk_lesson.save_revision().publish()
    services.lesson_complete(learner=learner, lesson=kk_lesson)
    progress = selectors.course_progress(enrolment=enrolment, course=course)
    assert progress.items[0].done
