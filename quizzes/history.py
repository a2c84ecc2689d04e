"""Quiz submissions' tamper-evident history: the "quiz-submissions" chain of the ledger.

When an attempt is finished (submitted, or closed at its deadline), when a trainer marks
one of its essays and when a finished attempt is deleted, an entry records the attempt's
state: every answer's response as saved (as a digest) with its mark, and the totals.
``manage.py verify_history`` compares each finished attempt with its latest entry, so an
answer or a mark changed after submission shows.

The quiz engine does not know which quiz is a course's final exam (a course page says
that), so every quiz's submissions are chained.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch
from django.db.models.signals import post_delete

from lms.ledger import actor_label, digest, ledger_append, register_current_states
from quizzes.models import Answer, Attempt

CHAIN = "quiz-submissions"
TWO_PLACES = Decimal("0.01")


def subject(attempt) -> str:
    return f"attempt:{attempt.pk}"


def _two_places(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO_PLACES)


def submission_state(*, attempt, answers: Iterable) -> dict:
    """What the chain records of a finished attempt. Reads plain fields only, so the
    data migration can run it on historical models."""
    return {
        "attempt": attempt.pk,
        "quiz": attempt.quiz_id,
        "learner": attempt.user_id,
        "number": attempt.number,
        "finished_at": attempt.finished_at,
        "answers": {
            str(answer.question_id): {
                "response": digest(answer.response),
                "mark": _two_places(answer.mark),
            }
            for answer in answers
        },
        "score": _two_places(attempt.score),
        "max_score": _two_places(attempt.max_score),
        "percent": _two_places(attempt.percent),
        "passed": attempt.passed,
        "needs_marking": attempt.needs_marking,
    }


def record(*, attempt: Attempt, action: str, actor, details: dict | None = None) -> None:
    """Append the attempt's state after ``action`` to the chain, in the caller's
    transaction. The answers and totals are read as stored (one query)."""
    answers = list(Answer.objects.filter(attempt_id=attempt.pk).select_related("attempt"))
    stored = answers[0].attempt if answers else Attempt.objects.get(pk=attempt.pk)
    ledger_append(
        chain=CHAIN,
        subject=subject(stored),
        action=action,
        actor=actor_label(actor),
        payload={"state": submission_state(attempt=stored, answers=answers), **(details or {})},
    )


def _record_deletion(sender, instance: Attempt, **kwargs) -> None:
    """A finished attempt that is deleted leaves an entry that says so (state: none)."""
    if instance.state == Attempt.State.FINISHED:
        ledger_append(
            chain=CHAIN,
            subject=subject(instance),
            action="delete",
            actor="system",
            payload={"state": None},
        )


def current_states():
    """Every finished attempt with its state, for verify_history."""
    answers = Prefetch(
        "answers", queryset=Answer.objects.only("attempt", "question", "response", "mark")
    )
    attempts = (
        Attempt.objects.filter(state=Attempt.State.FINISHED)
        .defer("layout")
        .prefetch_related(answers)
        .order_by("pk")
    )
    for attempt in attempts.iterator(chunk_size=500):
        yield subject(attempt), submission_state(attempt=attempt, answers=attempt.answers.all())


def connect() -> None:
    register_current_states(CHAIN, current_states)
    post_delete.connect(_record_deletion, sender=Attempt, dispatch_uid="attempt_ledger")
