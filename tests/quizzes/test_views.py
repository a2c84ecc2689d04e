"""The learner's side of a quiz: one question per page, no key before review, no peeking."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from quizzes import services
from quizzes.models import Answer, Attempt, Question, Quiz
from tests.factories import UserFactory
from tests.factories import quizzes as make


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def _start(client, quiz):
    response = client.post(f"/ru/quizzes/{quiz.pk}/start/")
    assert response.status_code == 302
    return Attempt.objects.get(quiz=quiz, state="in_progress")


def _question(attempt, position):
    return Question.objects.get(pk=attempt.layout[position]["question"])


def _place(attempt, position, choice_id) -> str:
    """What the form posts for a choice: its place in this attempt's order."""
    return str(attempt.layout[position]["choices"].index(choice_id))


def test_take_a_quiz_without_javascript(signed_in, quiz):
    detail = signed_in.get(f"/ru/quizzes/{quiz.pk}/").content.decode()
    assert f'action="/ru/quizzes/{quiz.pk}/start/"' in detail
    attempt = _start(signed_in, quiz)
    for position in range(len(attempt.layout)):
        question = _question(attempt, position)
        url = f"/ru/quizzes/attempts/{attempt.pk}/q/{position}/"
        assert signed_in.get(url).status_code == 200
        if question.type == "single":
            right = question.choices.get(fraction=1).pk
            data = {"choice": _place(attempt, position, right)}
        else:
            data = {"true_false": {"value": "true"}, "short": {"text": "портал госзакупок"}}[
                question.type
            ]
        go = "next" if position < len(attempt.layout) - 1 else "summary"
        assert signed_in.post(url, {**data, "go": go}).status_code == 302
    summary = signed_in.get(f"/ru/quizzes/attempts/{attempt.pk}/summary/").content.decode()
    assert gettext("not answered") not in summary
    response = signed_in.post(f"/ru/quizzes/attempts/{attempt.pk}/submit/")
    assert response["Location"] == f"/ru/quizzes/attempts/{attempt.pk}/"
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00") and attempt.passed
    result = signed_in.get(response["Location"]).content.decode()
    assert "100%" in result
    assert "Бюджет сельского округа — четвёртый уровень" in result  # the explanation


def test_reload_mid_way_returns_to_the_same_question_with_the_answer(signed_in, quiz):
    attempt = _start(signed_in, quiz)
    url = f"/ru/quizzes/attempts/{attempt.pk}/q/1/"
    signed_in.post(url, {"value": "false", "go": "check"})
    attempt.refresh_from_db()
    assert attempt.current_position == 1
    page = signed_in.get(f"/ru/quizzes/{quiz.pk}/").content.decode()
    assert f"/ru/quizzes/attempts/{attempt.pk}/q/1/" in page  # "continue your attempt"
    assert re.search(r'value="false"[^>]*checked', signed_in.get(url).content.decode())
    assert Answer.objects.get(attempt=attempt).response == {"value": False}


def _all_pages(client, attempt):
    pages = [client.get(f"/ru/quizzes/{attempt.quiz_id}/").content.decode()]
    for position in range(len(attempt.layout)):
        pages.append(
            client.get(f"/ru/quizzes/attempts/{attempt.pk}/q/{position}/").content.decode()
        )
    pages.append(client.get(f"/ru/quizzes/attempts/{attempt.pk}/summary/").content.decode())
    return "\n".join(pages)


def test_no_answer_key_reaches_the_browser_during_the_attempt(signed_in, quiz):
    attempt = _start(signed_in, quiz)
    html = _all_pages(signed_in, attempt)
    for secret in [
        "fraction",
        "correct",
        "Верно.",
        "Неверно.",
        "четвёртый уровень бюджетной",
        "goszakup",
        "портал госзакупок",
    ]:
        assert secret not in html, secret
    assert "data-correct" not in html
    # The choices are posted as their places on the screen, nothing more.
    position = next(i for i in range(len(attempt.layout)) if _question(attempt, i).type == "single")
    page = signed_in.get(f"/ru/quizzes/attempts/{attempt.pk}/q/{position}/").content.decode()
    assert re.findall(r'name="choice" value="([^"]*)"', page) == ["0", "1", "2", "3"]


def test_review_never_keeps_results_hidden_on_every_route(signed_in, quiz):
    quiz.review_when = Quiz.ReviewWhen.NEVER
    quiz.save()
    attempt = _start(signed_in, quiz)
    signed_in.post(f"/ru/quizzes/attempts/{attempt.pk}/submit/")
    pages = [
        signed_in.get(f"/ru/quizzes/attempts/{attempt.pk}/").content.decode(),
        signed_in.get("/ru/quizzes/results/").content.decode(),
        signed_in.get(f"/ru/quizzes/attempts/{attempt.pk}/q/0/", follow=True).content.decode(),
    ]
    for html in pages:
        assert "0%" not in html and "Верно" not in html and "четвёртый уровень" not in html


def test_review_after_close_waits_for_the_closing_time(signed_in, quiz):
    quiz.review_when = Quiz.ReviewWhen.AFTER_CLOSE
    quiz.closes_at = timezone.now() + timedelta(hours=1)
    quiz.save()
    attempt = _start(signed_in, quiz)
    signed_in.post(f"/ru/quizzes/attempts/{attempt.pk}/submit/")
    assert (
        "%"
        not in signed_in.get(f"/ru/quizzes/attempts/{attempt.pk}/")
        .content.decode()
        .split("<main")[1]
    )
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert "0%" in signed_in.get(f"/ru/quizzes/attempts/{attempt.pk}/").content.decode()


def test_feedback_after_each_question_shows_the_right_answer(signed_in, quiz):
    quiz.review_when = Quiz.ReviewWhen.AFTER_EACH
    quiz.save()
    attempt = _start(signed_in, quiz)
    position = next(
        i for i, e in enumerate(attempt.layout) if _question(attempt, i).type == "single"
    )
    wrong = _question(attempt, position).choices.get(text="Первый")
    html = signed_in.post(
        f"/ru/quizzes/attempts/{attempt.pk}/q/{position}/",
        {"choice": _place(attempt, position, wrong.pk), "go": "check"},
        follow=True,
    ).content.decode()
    assert "Четвёртый" in html and "Неверно." in html


def test_another_learners_attempt_is_404_everywhere(client, quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    client.force_login(UserFactory())
    for url in [
        f"/ru/quizzes/attempts/{attempt.pk}/",
        f"/ru/quizzes/attempts/{attempt.pk}/q/0/",
        f"/ru/quizzes/attempts/{attempt.pk}/summary/",
    ]:
        assert client.get(url).status_code == 404
    assert client.post(f"/ru/quizzes/attempts/{attempt.pk}/submit/").status_code == 404
    assert (
        client.post(f"/ru/quizzes/attempts/{attempt.pk}/q/0/", {"value": "true"}).status_code == 404
    )
    assert not Answer.objects.exists()


def test_draft_quizzes_are_hidden(signed_in, quiz):
    quiz.published = False
    quiz.save()
    assert signed_in.get(f"/ru/quizzes/{quiz.pk}/").status_code == 404
    assert signed_in.post(f"/ru/quizzes/{quiz.pk}/start/").status_code == 404


def test_a_quiz_unpublished_after_it_was_opened_is_hidden_at_once(signed_in, quiz):
    assert signed_in.get(f"/ru/quizzes/{quiz.pk}/").status_code == 200  # now kept in the process
    quiz.published = False
    quiz.save()
    assert signed_in.get(f"/ru/quizzes/{quiz.pk}/").status_code == 404
    assert signed_in.post(f"/ru/quizzes/{quiz.pk}/start/").status_code == 404


def test_quiz_pages_need_a_sign_in(client, quiz):
    response = client.get(f"/ru/quizzes/{quiz.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_previous_scores_and_success_per_topic(signed_in, learner, quiz):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.attempt_submit(attempt=attempt, user=learner)
    html = signed_in.get("/ru/quizzes/results/").content.decode()
    assert quiz.title in html and "0%" in html and "Бюджет" in html


def test_timer_shows_the_deadline_without_javascript(signed_in, quiz):
    quiz.time_limit_minutes = 20
    quiz.save()
    attempt = _start(signed_in, quiz)
    html = signed_in.get(f"/ru/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
    assert "data-deadline=" in html and "quizzes/timer.js" in html


def test_dashboard_lists_recent_results_only_as_review_allows(signed_in, learner, quiz, cat):
    services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=learner), user=learner)
    hidden = make.quiz_with([make.true_false(cat)], title="Скрытый тест", review_when="never")
    services.attempt_submit(attempt=services.attempt_start(quiz=hidden, user=learner), user=learner)
    html = signed_in.get("/ru/dashboard/").content.decode()
    assert f"{quiz.title}</a>" in html and ": 0%" in html
    line = next(part for part in html.split("<li>") if "Скрытый тест" in part)
    assert "%" not in line.split("</li>")[0]
