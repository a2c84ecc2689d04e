"""Ten concurrent final submits of one attempt give exactly one graded result."""

import threading

import pytest
from django.db import connection

from quizzes import services
from quizzes.models import Attempt
from quizzes.signals import attempt_released
from tests.factories import UserFactory
from tests.factories import quizzes as make


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submits_grade_once(postgres):
    cat = make.category()
    quiz = make.quiz_with([make.true_false(cat), make.single(cat)])
    learner = UserFactory()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_save(
        attempt=attempt,
        user=learner,
        question_id=attempt.layout[0]["question"],
        response={"value": True},
    )
    graded = []

    def receiver(sender, attempt, **kwargs):
        graded.append(attempt.pk)

    attempt_released.connect(receiver)
    barrier = threading.Barrier(10)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(services.attempt_submit(attempt=attempt, user=learner).finished_at)
        except Exception as exc:  # noqa: BLE001 (collected and reported)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        attempt_released.disconnect(receiver)
    assert not errors, errors
    assert len(set(results)) == 1  # everyone got the one result
    assert graded == [attempt.pk]
    assert Attempt.objects.get(pk=attempt.pk).answers.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_make_one_attempt(postgres):
    quiz = make.quiz_with([make.true_false(make.category())])
    learner = UserFactory()
    barrier = threading.Barrier(8)
    ids, errors = [], []

    def start():
        try:
            barrier.wait(timeout=10)
            ids.append(services.attempt_start(quiz=quiz, user=learner).pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(set(ids)) == 1
    assert Attempt.objects.filter(user=learner).count() == 1
