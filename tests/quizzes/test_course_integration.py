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


# The quiz's own pages lead back to the course (issue 14): one h1, a breadcrumb, and
# after a failed attempt "try again" (while attempts remain) and the module's lessons.


def _headings_and_crumbs(html: str) -> tuple[list[str], list[str]]:
    import re

    h1s = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    nav = re.search(r'<nav aria-label="[^"]*" class="breadcrumb">(.*?)</nav>', html, re.S)
    return h1s, re.findall(r'href="([^"]+)"', nav[1]) if nav else []


def test_a_question_page_has_one_h1_and_a_breadcrumb_to_the_course(client, hosted):
    quiz, page, learner, _ = hosted
    client.force_login(learner)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    html = client.get(f"/ru/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
    h1s, crumbs = _headings_and_crumbs(html)
    assert h1s == [quiz.title]
    module = page.get_parent()
    assert crumbs == [module.get_parent().url, module.url]
    assert "Вопрос 1 из 1" in html


def test_the_breadcrumb_follows_the_pages_language(client, hosted):
    """A quiz hosted in both language copies of a course: the breadcrumb stays in the
    language of the page the learner reads."""
    from wagtail.models import Locale

    from courses.models import QuizPage

    quiz, page, learner, _ = hosted
    kk_page = page.copy_for_translation(Locale.objects.get(language_code="kk"), copy_parents=True)
    kk_page.save_revision().publish()
    assert QuizPage.objects.live().filter(quiz=quiz).count() == 2
    client.force_login(learner)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    for language in ("ru", "kk"):
        html = client.get(f"/{language}/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
        crumbs = _headings_and_crumbs(html)[1]
        assert crumbs and all(url.startswith(f"/{language}/") for url in crumbs), crumbs


def test_a_quiz_no_course_hosts_has_no_breadcrumb(client, db):
    quiz = make.quiz_with([make.true_false(make.category())])
    learner = UserFactory()
    client.force_login(learner)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    h1s, crumbs = _headings_and_crumbs(
        client.get(f"/ru/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
    )
    assert h1s == [quiz.title] and crumbs == []


def _fail_and_open_result(client, quiz, learner, django_capture_on_commit_callbacks) -> str:
    attempt = _pass(quiz, learner, django_capture_on_commit_callbacks, value=False)
    client.force_login(learner)
    return client.get(f"/ru/quizzes/attempts/{attempt.pk}/").content.decode()


def test_a_failed_result_offers_another_attempt_and_the_modules_lessons(
    client, hosted, django_capture_on_commit_callbacks
):
    quiz, page, learner, _ = hosted
    quiz.attempts_allowed = 2
    quiz.save()
    html = _fail_and_open_result(client, quiz, learner, django_capture_on_commit_callbacks)
    assert f'<form method="post" action="/ru/quizzes/{quiz.pk}/start/"' in html
    assert "Попробовать ещё раз" in html
    assert f'href="{page.get_parent().url}">Вернуться к урокам модуля' in html
    h1s, crumbs = _headings_and_crumbs(html)
    assert h1s == [quiz.title] and len(crumbs) == 2

    # The button starts a new attempt.
    response = client.post(f"/ru/quizzes/{quiz.pk}/start/")
    assert response.status_code == 302 and "/q/0/" in response["Location"]


def test_no_try_again_once_the_attempts_are_used(
    client, hosted, django_capture_on_commit_callbacks
):
    """The same rule as the quiz's page and attempt_start: every attempt started counts."""
    quiz, page, learner, _ = hosted
    quiz.attempts_allowed = 1
    quiz.save()
    html = _fail_and_open_result(client, quiz, learner, django_capture_on_commit_callbacks)
    assert "Попробовать ещё раз" not in html
    assert f"/ru/quizzes/{quiz.pk}/start/" not in html
    assert f'href="{page.get_parent().url}">Вернуться к урокам модуля' in html
    assert services.may_start_attempt(quiz=quiz, user=learner) is False


def test_no_try_again_when_the_quiz_has_closed(client, hosted, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    quiz, _page, learner, _ = hosted
    attempt = _pass(quiz, learner, django_capture_on_commit_callbacks, value=False)
    quiz.closes_at = timezone.now() - timedelta(minutes=1)
    quiz.save()
    client.force_login(learner)
    html = client.get(f"/ru/quizzes/attempts/{attempt.pk}/").content.decode()
    assert "Попробовать ещё раз" not in html


def test_a_passed_result_offers_no_try_again(client, hosted, django_capture_on_commit_callbacks):
    quiz, _page, learner, _ = hosted
    attempt = _pass(quiz, learner, django_capture_on_commit_callbacks)
    client.force_login(learner)
    html = client.get(f"/ru/quizzes/attempts/{attempt.pk}/").content.decode()
    assert "Попробовать ещё раз" not in html and "Вернуться к урокам модуля" not in html
