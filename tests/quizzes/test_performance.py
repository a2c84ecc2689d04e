"""Query counts that must not grow with the quiz or the bank (exact numbers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import services
from quizzes.models import Question, QuizSlot
from tests.factories import quizzes as make


@pytest.mark.parametrize("size", [10, 100])
def test_saving_an_answer_takes_at_most_six_queries(cat, learner, size, django_assert_num_queries):
    quiz = make.quiz_with([make.true_false(cat) for _ in range(size)])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    question_id = attempt.layout[size // 2]["question"]
    # The caller has the attempt; then the question and one upsert.
    with django_assert_num_queries(2):
        services.answer_save(
            attempt=attempt, user=learner, question_id=question_id, response={"value": True}
        )
    # Saving again (a changed mind): the same two.
    with django_assert_num_queries(2):
        services.answer_save(
            attempt=attempt, user=learner, question_id=question_id, response={"value": False}
        )


@pytest.mark.parametrize("size", [10, 100])
def test_the_answer_view_makes_the_same_queries_for_any_quiz_size(client, cat, learner, size):
    quiz = make.quiz_with([make.true_false(cat) for _ in range(size)])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    client.force_login(learner)
    url = f"/ru/quizzes/attempts/{attempt.pk}/q/1/"
    client.post(url, {"value": "true", "go": "next"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"value": "false", "go": "next"})
    assert response.status_code == 302
    # user, attempt, question, answer update, position update
    assert len(queries) == 5


@pytest.mark.parametrize("bank_size", [10, 5000])
def test_starting_a_random_attempt_does_not_depend_on_the_bank_size(cat, learner, bank_size):
    Question.objects.bulk_create(
        Question(
            category=cat, type=Question.Type.TRUE_FALSE, name=f"Q{n}", text="?", correct_bool=True
        )
        for n in range(bank_size)
    )
    quiz = make.quiz_with([])
    QuizSlot.objects.create(quiz=quiz, random_category=cat, random_count=10)
    with CaptureQueriesContext(connection) as queries:
        attempt = services.attempt_start(quiz=quiz, user=learner)
    assert len(attempt.layout) == 10
    assert len(queries) == 10
