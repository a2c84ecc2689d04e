"""Quiz submissions' chain in the ledger: finishing an attempt, marking an essay and
deleting a finished attempt are entries with the attempt's answers and totals;
verify_history names an answer or a mark changed after submission; the data migration
starts the chain with the attempts finished before it."""

import importlib
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from lms.ledger import digest, jsonable, verify_history
from lms.models import LedgerEntry
from quizzes import history, services
from quizzes.models import Answer, Attempt, Question
from tests.factories import UserFactory
from tests.factories import quizzes as make

CHAIN = history.CHAIN


def _entries():
    return list(
        LedgerEntry.objects.filter(chain=CHAIN)
        .order_by("sequence")
        .values_list("subject", "action", "actor")
    )


def _latest(attempt) -> LedgerEntry:
    return (
        LedgerEntry.objects.filter(chain=CHAIN, subject=history.subject(attempt))
        .order_by("-sequence")
        .first()
    )


def _stored_state(attempt) -> dict:
    stored = Attempt.objects.get(pk=attempt.pk)
    return jsonable(history.submission_state(attempt=stored, answers=stored.answers.all()))


def _verify():
    return verify_history(chains=[CHAIN])[0]


def _question_of(attempt, kind):
    return next(
        entry["question"]
        for entry in attempt.layout
        if Question.objects.get(pk=entry["question"]).type == kind
    )


@pytest.fixture
def submitted(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_save(
        attempt=attempt,
        user=learner,
        question_id=_question_of(attempt, Question.Type.SHORT),
        response={"text": "Портал госзакупок"},
    )
    services.answer_save(
        attempt=attempt,
        user=learner,
        question_id=_question_of(attempt, Question.Type.TRUE_FALSE),
        response={"value": False},
    )
    return services.attempt_submit(attempt=attempt, user=learner)


def test_a_submission_records_every_answer_and_the_totals(submitted, learner):
    entry = LedgerEntry.objects.get(chain=CHAIN)
    assert (entry.subject, entry.action, entry.actor) == (
        f"attempt:{submitted.pk}",
        "submit",
        learner.email,
    )
    state = entry.payload["state"]
    short = _question_of(submitted, Question.Type.SHORT)
    assert state["answers"][str(short)]["response"] == digest({"text": "Портал госзакупок"})
    assert set(state["answers"]) == {str(e["question"]) for e in submitted.layout}
    assert (state["learner"], state["quiz"], state["number"]) == (
        learner.pk,
        submitted.quiz_id,
        1,
    )
    assert state["max_score"] == "3.00" and state["passed"] is False
    assert state == _stored_state(submitted)
    assert _verify().ok


def test_a_second_submit_appends_nothing(submitted, learner):
    services.attempt_submit(attempt=submitted, user=learner)
    assert LedgerEntry.objects.filter(chain=CHAIN).count() == 1


def test_attempts_closed_at_their_deadline_are_chained(quiz, learner):
    quiz.time_limit_minutes = 10
    quiz.save()
    started = timezone.now() - timedelta(minutes=30)
    attempt = services.attempt_start(quiz=quiz, user=learner, now=started)
    assert services.close_overdue_attempts() == 1
    assert _entries() == [(history.subject(attempt), "submit", learner.email)]
    assert _verify().ok


def test_marking_an_essay_records_the_mark_and_new_totals(cat, learner):
    trainer = UserFactory(email="trainer@example.com")
    quiz = make.quiz_with([make.essay(cat), make.true_false(cat)])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    essay_id = _question_of(attempt, Question.Type.ESSAY)
    services.answer_save(
        attempt=attempt, user=learner, question_id=essay_id, response={"text": "Дороги"}
    )
    services.attempt_submit(attempt=attempt, user=learner)
    assert _latest(attempt).payload["state"]["needs_marking"] is True
    answer = Answer.objects.get(attempt=attempt, question_id=essay_id)
    services.essay_mark(answer=answer, marker=trainer, mark=Decimal("4"), comment="Хорошо")
    entry = _latest(attempt)
    assert (entry.action, entry.actor) == ("mark", trainer.email)
    assert entry.payload["question"] == essay_id and entry.payload["mark"] == "4.00"
    state = entry.payload["state"]
    assert state["answers"][str(essay_id)]["mark"] == "4.00"
    assert state["needs_marking"] is False and state["score"] == "4.00"
    assert state == _stored_state(attempt)
    assert _verify().ok


def test_an_answer_changed_after_submission_is_named(submitted):
    short = _question_of(submitted, Question.Type.SHORT)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE quizzes_answer SET response = %s WHERE attempt_id = %s AND question_id = %s",
            ['{"text": "Другой ответ"}', submitted.pk, short],
        )
    report = _verify()
    assert report.broken is None
    (problem,) = report.mismatches
    assert (problem.chain, problem.sequence, problem.subject) == (
        CHAIN,
        1,
        f"attempt:{submitted.pk}",
    )
    assert problem.what == f"the record no longer matches this entry: answers.{short}.response"


def test_a_mark_and_totals_raised_after_submission_are_named(submitted):
    wrong = _question_of(submitted, Question.Type.TRUE_FALSE)
    assert Answer.objects.get(attempt=submitted, question_id=wrong).mark == 0
    Answer.objects.filter(attempt=submitted, question_id=wrong).update(mark=Decimal("1"))
    Attempt.objects.filter(pk=submitted.pk).update(
        score=Decimal("3"), percent=Decimal("100"), passed=True
    )
    (problem,) = _verify().mismatches
    assert problem.what.endswith(f"answers.{wrong}.mark, passed, percent, score")


def test_deleted_attempts_are_recorded_and_one_deleted_behind_the_back_is_named(quiz, learner):
    first = services.attempt_submit(
        attempt=services.attempt_start(quiz=quiz, user=learner), user=learner
    )
    Attempt.objects.get(pk=first.pk).delete()  # the engine never does; an admin might
    second = services.attempt_submit(
        attempt=services.attempt_start(quiz=quiz, user=learner), user=learner
    )
    assert _entries() == [
        (history.subject(first), "submit", learner.email),
        (history.subject(first), "delete", "system"),
        (history.subject(second), "submit", learner.email),
    ]
    assert _verify().ok
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM quizzes_answer WHERE attempt_id = %s", [second.pk])
        cursor.execute("DELETE FROM quizzes_attempt WHERE id = %s", [second.pk])
    (problem,) = _verify().mismatches
    assert (problem.subject, problem.what) == (
        history.subject(second),
        "the record in this entry is gone",
    )


def test_the_chain_starts_with_the_attempts_finished_before_it(submitted, quiz):
    # An attempt finished before the ledger existed: in the table, not in the chain.
    other = UserFactory()
    older = Attempt.objects.create(
        quiz=quiz,
        user=other,
        number=1,
        state=Attempt.State.FINISHED,
        finished_at=timezone.now(),
        score=Decimal("2"),
        max_score=Decimal("3"),
        percent=Decimal("66.67"),
        passed=True,
    )
    question = _question_of(submitted, Question.Type.TRUE_FALSE)
    Answer.objects.create(
        attempt=older, question_id=question, response={"value": True}, mark=Decimal("1")
    )
    (problem,) = _verify().mismatches
    assert problem.what == "the record has no entry in the history"

    migration = importlib.import_module("quizzes.migrations.0004_submission_ledger")
    migration.record_existing(apps, None)

    for attempt in (submitted, older):
        stored = Attempt.objects.get(pk=attempt.pk)
        assert jsonable(migration.submission_state(stored, stored.answers.all())) == _stored_state(
            attempt
        )
        assert _latest(attempt).action == "baseline"
        assert _latest(attempt).payload["state"] == _stored_state(attempt)
    report = _verify()
    assert report.ok and report.records == 2


def test_recording_costs_four_queries(submitted, django_assert_num_queries):
    with django_assert_num_queries(4):  # answers with their attempt, then the ledger's three
        history.record(attempt=submitted, action="submit", actor="system")


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_make_one_gapless_chain(postgres):
    quiz = make.quiz_with([make.true_false(make.category())])
    learners = [UserFactory() for _ in range(6)]
    attempts = [services.attempt_start(quiz=quiz, user=learner) for learner in learners]
    barrier = threading.Barrier(len(attempts))
    errors = []

    def submit(attempt):
        try:
            barrier.wait(timeout=10)
            services.attempt_submit(attempt=attempt, user=attempt.user)
        except Exception as exc:  # noqa: BLE001 (collected and reported)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(
        LedgerEntry.objects.filter(chain=CHAIN).values_list("sequence", flat=True)
    ) == list(range(1, 7))
    report = _verify()
    assert report.ok and report.records == 6
