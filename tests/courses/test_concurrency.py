"""Concurrent completion events record the course once (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection

from courses import services
from courses.models import Enrolment, ItemCompletion, LessonPage, QuizPage
from courses.signals import course_completed
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course


def _run_concurrently(target, times: int = 10) -> list:
    barrier = threading.Barrier(times)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_last_steps_complete_the_course_once(postgres, home_pages):
    course = build_course(home_pages["ru"], modules=1, lessons=2)
    course.requires_module_tests = course.requires_final_exam = False
    course.save()
    learner = UserFactory()
    enrolment = services.enrolment_create(learner=learner, cohort=build_cohort(course))
    first, last = LessonPage.objects.descendant_of(course).order_by("path")
    services.lesson_complete(learner=learner, lesson=first)

    signals = []

    def receiver(sender, enrolment, **kwargs):
        signals.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        _run_concurrently(lambda: services.lesson_complete(learner=learner, lesson=last))
    finally:
        course_completed.disconnect(receiver)

    assert signals == [enrolment.pk]
    assert ItemCompletion.objects.filter(enrolment=enrolment).count() == 2
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.COMPLETED


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolment_makes_one_record(postgres, home_pages):
    course = build_course(home_pages["ru"], modules=1, lessons=1)
    cohort = build_cohort(course)
    learner = UserFactory()
    _run_concurrently(lambda: services.enrolment_create(learner=learner, cohort=cohort))
    assert Enrolment.objects.filter(learner=learner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_quiz_passes_record_one_item(postgres, home_pages):
    course = build_course(home_pages["ru"], modules=1, lessons=1, module_tests=True)
    learner = UserFactory()
    services.enrolment_create(learner=learner, cohort=build_cohort(course))
    quiz = QuizPage.objects.descendant_of(course).get()
    _run_concurrently(lambda: services.quiz_page_passed(learner=learner, quiz_page=quiz))
    assert ItemCompletion.objects.filter(item_key=quiz.translation_key).count() == 1
