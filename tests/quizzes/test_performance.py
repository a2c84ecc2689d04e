"""Query counts that must not grow with the quiz or the bank (exact numbers)."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes import services
from quizzes.models import Answer, Attempt, Question, Quiz, QuizSlot
from tests.factories import UserFactory
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
    # attempt with its row locked, the answer's upsert, the place. The question comes
    # from the process's memo (read by the first save).
    with django_assert_num_queries(6) as queries:
        response = client.post(url, {"value": "false", "go": "next"})
    assert response.status_code == 302
    assert response["Location"] == f"/ru/quizzes/attempts/{attempt.pk}/q/2/"
    statements = [query["sql"] for query in queries.captured_queries]
    assert statements[1].startswith("SAVEPOINT") and statements[-1].startswith("RELEASE")
    # Only what the save needs: no quiz texts, no question feedback, no other question.
    read = " ".join(statements)
    assert "quizzes_quiz" not in read  # the quiz's two options come from the memo
    assert "quizzes_question" not in read
    assert "quizzes_category" not in read
    assert Answer.objects.get(
        attempt=attempt, question_id=attempt.layout[1]["question"]
    ).response == {"value": False}


@pytest.mark.parametrize("size", [20, 200])
def test_an_attempt_start_makes_the_same_queries_for_any_quiz_size(
    client, cat, learner, size, django_assert_num_queries
):
    quiz = make.quiz_with([make.true_false(cat) for _ in range(size)])
    client.force_login(UserFactory(email="first@example.com"))
    client.post(f"/ru/quizzes/{quiz.pk}/start/")
    client.force_login(learner)
    # The user, the learner's attempts (how many, and which one is open), then the
    # insert (in a savepoint inside the test's own transaction). The quiz, the course
    # pages hosting it (none), its slots and their questions' marks, kinds and choices
    # were read for the first learner and are kept in the process.
    with django_assert_num_queries(5):
        response = client.post(f"/ru/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(quiz=quiz, user=learner)
    assert response["Location"] == f"/ru/quizzes/attempts/{attempt.pk}/q/0/"
    assert len(attempt.layout) == size
    # Starting again resumes it: the user, the attempts, then the open one.
    with django_assert_num_queries(3):
        response = client.post(f"/ru/quizzes/{quiz.pk}/start/")
    assert response["Location"] == f"/ru/quizzes/attempts/{attempt.pk}/q/0/"


def test_a_start_after_an_edit_draws_from_the_quiz_as_edited(cat, learner):
    kept, added = make.true_false(cat), make.single(cat)
    quiz = make.quiz_with([kept])
    first = services.attempt_start(quiz=quiz, user=UserFactory(email="first@example.com"))
    assert first.question_ids == [kept.pk]
    QuizSlot.objects.create(quiz=quiz, question=added, sort_order=1, mark=2)
    added.choices.first().delete()  # and the author drops one of its choices
    attempt = services.attempt_start(quiz=quiz, user=learner)
    assert attempt.question_ids == [kept.pk, added.pk]
    entry = attempt.layout[1]
    assert sorted(entry["choices"]) == sorted(added.choices.values_list("pk", flat=True))
    assert len(entry["choices"]) == 3 and entry["mark"] == "2.00"


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


def test_a_question_is_read_once_by_the_saves_of_many_learners(
    client, cat, learner, django_assert_num_queries
):
    other_learner = UserFactory(email="other@example.com")
    quiz = make.quiz_with([make.single(cat), make.true_false(cat)])
    attempts = [services.attempt_start(quiz=quiz, user=user) for user in (learner, other_learner)]
    client.force_login(learner)
    client.post(f"/ru/quizzes/attempts/{attempts[0].pk}/q/0/", {"choice": "1", "go": "next"})
    client.force_login(other_learner)
    # The question and its choices were read for the first learner: not again.
    with django_assert_num_queries(6) as queries:
        client.post(f"/ru/quizzes/attempts/{attempts[1].pk}/q/0/", {"choice": "2", "go": "next"})
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "quizzes_question" not in read and "quizzes_choice" not in read
    answer = Answer.objects.get(attempt=attempts[1])
    assert answer.response == {"choice": attempts[1].layout[0]["choices"][2]}


def test_a_question_edited_during_an_attempt_is_saved_against_as_edited(client, cat, learner):
    question = make.true_false(cat)
    attempt = services.attempt_start(quiz=make.quiz_with([question]), user=learner)
    client.force_login(learner)
    url = f"/ru/quizzes/attempts/{attempt.pk}/q/0/"
    client.post(url, {"value": "true", "go": "next"})  # the question now in the memo
    question.type = Question.Type.SHORT  # the author makes it a short answer
    question.save()
    client.post(url, {"text": "четыре года", "go": "next"})
    assert Answer.objects.get(attempt=attempt).response == {"text": "четыре года"}


def test_the_attempt_a_save_locks_is_the_one_the_orm_loads(cat, learner):
    quiz = make.quiz_with([make.true_false(cat), make.single(cat)])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(hours=1))
    loaded = Attempt.objects.get(pk=attempt.pk)
    with transaction.atomic():
        locked = services._own_attempt_locked(attempt_id=attempt.pk, user=learner)
    for name in ("id", "quiz_id", "user_id", "state", "deadline", "layout"):
        assert getattr(locked, name) == getattr(loaded, name), name
    assert timezone.is_aware(locked.deadline) and isinstance(locked.layout, list)
    assert locked.quiz.pk == quiz.pk and locked.quiz.review_when == quiz.review_when
    with pytest.raises(services.AttemptNotFound):  # another learner's: not there
        services._own_attempt_locked(
            attempt_id=attempt.pk, user=UserFactory(email="other@example.com")
        )


def test_a_save_after_the_quiz_is_edited_checks_answers_as_edited(client, cat, learner):
    """The quiz's options come from the process's memo: an edit must reach the next
    save, or an answer meant to be final after a check could still be changed."""
    quiz = make.quiz_with([make.true_false(cat), make.true_false(cat)])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    client.force_login(learner)
    url = f"/ru/quizzes/attempts/{attempt.pk}/q/0/"
    client.post(url, {"value": "true", "go": "next"})  # the memo holds the quiz now
    quiz.review_when = Quiz.ReviewWhen.AFTER_EACH
    quiz.save()
    response = client.post(url, {"value": "true", "go": "check"})
    assert response.status_code == 302
    answer = Answer.objects.get(attempt=attempt, question_id=attempt.layout[0]["question"])
    assert answer.checked_at is not None  # checked, so final
    client.post(url, {"value": "false", "go": "next"})
    answer.refresh_from_db()
    assert answer.response == {"value": True}
