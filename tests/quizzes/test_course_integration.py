"""A QuizPage hosts a quiz: only the course's learners take it; passing marks it done."""

import pytest

from courses import services as course_services
from courses.models import ItemCompletion, QuizPage
from quizzes import services
from tests.factories import UserFactory
from tests.factories import quizzes as make
from tests.factories.courses import build_cohort, build_course


@pytest.fixture
def hosted(home_pages):
    course = build_course(home_pages["ru"], modules=1, lessons=0, module_tests=True)
    quiz = make.quiz_with([make.true_false(make.category())])
    page = QuizPage.objects.descendant_of(course).get()
    page.quiz = quiz
    page.save()
    learner = UserFactory()
    enrolment = course_services.enrolment_create(learner=learner, cohort=build_cohort(course))
    return quiz, page, learner, enrolment


def _pass(quiz, learner, django_capture_on_commit_callbacks, value=True):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_save(
        attempt=attempt,
        user=learner,
        question_id=attempt.layout[0]["question"],
        response={"value": value},
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services.attempt_submit(attempt=attempt, user=learner)


def test_passing_the_module_test_marks_its_page_done(hosted, django_capture_on_commit_callbacks):
    quiz, page, learner, enrolment = hosted
    _pass(quiz, learner, django_capture_on_commit_callbacks)
    assert ItemCompletion.objects.filter(
        enrolment=enrolment, item_key=page.translation_key
    ).exists()


def test_failing_does_not(hosted, django_capture_on_commit_callbacks):
    quiz, page, learner, enrolment = hosted
    _pass(quiz, learner, django_capture_on_commit_callbacks, value=False)
    assert not ItemCompletion.objects.exists()


def test_only_the_courses_learners_may_take_a_hosted_quiz(client, hosted):
    quiz, page, learner, _ = hosted
    client.force_login(UserFactory())
    assert client.get(f"/ru/quizzes/{quiz.pk}/").status_code == 404
    client.force_login(learner)
    assert client.get(f"/ru/quizzes/{quiz.pk}/").status_code == 200
    html = client.get(page.url).content.decode()
    assert f'href="/ru/quizzes/{quiz.pk}/"' in html
