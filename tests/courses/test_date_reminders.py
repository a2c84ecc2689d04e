"""The scheduler's notices about cohort dates: a module opens, a test closes soon."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import reminders, services
from courses.models import CohortItemDates, ModulePage, QuizPage
from notifications.models import Notification
from quizzes import services as quiz_services
from tests.factories import UserFactory
from tests.factories import quizzes as make
from tests.factories.courses import build_cohort


def _modules(course):
    return list(ModulePage.objects.child_of(course).order_by("path"))


def _test_of(module):
    return QuizPage.objects.child_of(module).get(kind=QuizPage.Kind.MODULE_TEST)


@pytest.fixture
def quiz_page(course):
    page = _test_of(_modules(course)[0])
    page.quiz = make.quiz_with([make.true_false(make.category())])
    page.save()
    return page


def test_a_module_that_opened_is_announced_to_the_cohorts_active_learners_once(
    course, cohort, enrolment, learner
):
    module = _modules(course)[1]
    CohortItemDates.objects.create(
        cohort=cohort, item_key=module.translation_key, opens_at=timezone.now() - timedelta(hours=1)
    )
    withdrawn = UserFactory(email="gone@example.com")
    services.enrolment_withdraw(
        enrolment=services.enrolment_create(learner=withdrawn, cohort=cohort), actor="t"
    )
    other_cohort = build_cohort(course, name="Поток 2")
    outsider = UserFactory(email="outsider@example.com")
    services.enrolment_create(learner=outsider, cohort=other_cohort)

    assert reminders.module_opens_notify() == 1
    (note,) = Notification.objects.all()
    assert (note.user, note.event) == (learner, "module_opens")
    assert note.target == f"module-opens:{cohort.pk}:{module.translation_key}"
    assert module.title in note.subject
    assert reminders.module_opens_notify() == 0  # the job again: nothing twice


def test_a_module_opening_later_or_long_ago_is_not_announced(course, cohort, enrolment):
    first, second = _modules(course)
    now = timezone.now()
    CohortItemDates.objects.create(
        cohort=cohort, item_key=first.translation_key, opens_at=now + timedelta(hours=1)
    )
    CohortItemDates.objects.create(
        cohort=cohort, item_key=second.translation_key, opens_at=now - timedelta(days=3)
    )
    assert reminders.module_opens_notify() == 0


def test_a_test_due_tomorrow_reminds_those_who_have_not_handed_it_in(
    course, cohort, enrolment, learner, quiz_page
):
    done = UserFactory(email="done@example.com")
    services.enrolment_create(learner=done, cohort=cohort)
    attempt = quiz_services.attempt_start(quiz=quiz_page.quiz, user=done)
    quiz_services.attempt_submit(attempt=attempt, user=done)
    due = timezone.now() + timedelta(hours=20)
    CohortItemDates.objects.create(cohort=cohort, item_key=quiz_page.translation_key, due_at=due)

    assert reminders.test_closes_soon_notify() == 1
    (note,) = Notification.objects.all()
    assert (note.user, note.event) == (learner, "test_closes_soon")
    assert reminders.test_closes_soon_notify() == 0
    # the date moves: a new reminder for the new time
    CohortItemDates.objects.update(due_at=due + timedelta(hours=2))
    assert reminders.test_closes_soon_notify() == 1


def test_the_quizs_own_closing_wins_over_the_cohorts_due_date(course, cohort, enrolment, quiz_page):
    now = timezone.now()
    # the cohort has it due tomorrow evening, but the quiz closes in two days: no reminder
    CohortItemDates.objects.create(
        cohort=cohort, item_key=quiz_page.translation_key, due_at=now + timedelta(hours=12)
    )
    quiz_page.quiz.closes_at = now + timedelta(days=2)
    quiz_page.quiz.save()
    assert reminders.test_closes_soon_notify() == 0
    quiz_page.quiz.closes_at = now + timedelta(hours=3)
    quiz_page.quiz.save()
    assert reminders.test_closes_soon_notify() == 1


def test_a_module_due_date_reminds_of_its_test(course, cohort, enrolment, quiz_page):
    module = _modules(course)[0]
    CohortItemDates.objects.create(
        cohort=cohort, item_key=module.translation_key, due_at=timezone.now() + timedelta(hours=5)
    )
    assert reminders.test_closes_soon_notify() == 1
    assert Notification.objects.get().target.startswith(
        f"test-closes:{cohort.pk}:{quiz_page.translation_key}:"
    )


def test_the_events_are_registered():
    from notifications.events import all_events

    assert {"module_opens", "test_closes_soon"} <= set(all_events())
