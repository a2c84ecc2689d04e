"""Query counts that must not grow with the quiz or the bank (exact numbers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import services
from quizzes.models import Answer, Attempt, Question, QuizSlot
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


@pytest.mark.parametrize("size", [20, 200])
def test_an_answer_save_makes_the_same_queries_for_any_quiz_size(
    client, cat, learner, size, django_assert_num_queries
):
    quiz = make.quiz_with([make.true_false(cat) for _ in range(size)])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    client.force_login(learner)
    url = f"/ru/quizzes/attempts/{attempt.pk}/q/1/"
    client.post(url, {"value": "true", "go": "next"})
    # The user; then, in one transaction (a savepoint inside the test's own): the
    # attempt with its row locked, the one question, the answer's upsert, the place.
    with django_assert_num_queries(7) as queries:
        response = client.post(url, {"value": "false", "go": "next"})
    assert response.status_code == 302
    assert response["Location"] == f"/ru/quizzes/attempts/{attempt.pk}/q/2/"
    statements = [query["sql"] for query in queries.captured_queries]
    assert statements[1].startswith("SAVEPOINT") and statements[-1].startswith("RELEASE")
    # Only what the save needs: no quiz texts, no question feedback, no other question.
    read = " ".join(statements)
    assert '"quizzes_quiz"."description' not in read
    assert '"quizzes_question"."feedback_correct' not in read
    assert "quizzes_category" not in read
    assert Answer.objects.get(
        attempt=attempt, question_id=attempt.layout[1]["question"]
    ).response == {"value": False}


@pytest.mark.parametrize("size", [20, 200])
def test_an_attempt_start_makes_the_same_queries_for_any_quiz_size(
    client, cat, learner, size, django_assert_num_queries
):
    quiz = make.quiz_with([make.true_false(cat) for _ in range(size)])
    client.force_login(learner)
    # The user, the quiz, the course pages hosting it (none), the learner's attempts
    # (how many, and which one is open), the slots, their questions' marks and
    # kinds, their choices, then the insert (in a savepoint inside the test's own
    # transaction).
    with django_assert_num_queries(10):
        response = client.post(f"/ru/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(quiz=quiz, user=learner)
    assert response["Location"] == f"/ru/quizzes/attempts/{attempt.pk}/q/0/"
    assert len(attempt.layout) == size
    # Starting again resumes it: the attempts, then the open one.
    with django_assert_num_queries(5):
        response = client.post(f"/ru/quizzes/{quiz.pk}/start/")
    assert response["Location"] == f"/ru/quizzes/attempts/{attempt.pk}/q/0/"


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
    assert len(queries) == 9
