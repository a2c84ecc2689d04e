"""A marked essay is announced to the learner once its result is released, never
before (the notification would leak that the mark is in)."""

from datetime import timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from notifications.models import Notification
from quizzes import services
from quizzes.models import Quiz
from tests.factories import UserFactory
from tests.factories import quizzes as make


def _submitted_essay(cat, capture, **quiz_settings):
    quiz = make.quiz_with([make.true_false(cat), make.essay(cat)], title="Эссе о бюджете")
    Quiz.objects.filter(pk=quiz.pk).update(**quiz_settings)
    quiz.refresh_from_db()
    learner = UserFactory(preferred_language="ru")
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_save(
        attempt=attempt, user=learner, question_id=attempt.layout[0]["question"], response={}
    )
    essay_id = next(e["question"] for e in attempt.layout if e["mark"] == "5.00")
    services.answer_save(
        attempt=attempt, user=learner, question_id=essay_id, response={"text": "План"}
    )
    with capture(execute=True):
        attempt = services.attempt_submit(attempt=attempt, user=learner)
    return attempt, attempt.answers.get(question_id=essay_id)


def test_marking_a_released_essay_notifies_once(cat, django_capture_on_commit_callbacks):
    attempt, answer = _submitted_essay(cat, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()  # submitted, not yet marked
    with django_capture_on_commit_callbacks(execute=True):
        services.essay_mark(answer=answer, marker=UserFactory(), mark=Decimal("4"), comment="")
    notification = Notification.objects.get(user=attempt.user)
    assert notification.event == "essay_marked"
    assert notification.url == f"/ru/quizzes/attempts/{attempt.pk}/"
    assert "4" not in notification.subject + notification.body  # no grade in the message
    with django_capture_on_commit_callbacks(execute=True):  # marked again: nothing new
        services.essay_mark(answer=answer, marker=UserFactory(), mark=Decimal("5"), comment="")
    assert Notification.objects.count() == 1


def test_a_mark_hidden_until_the_quiz_closes_is_announced_then(
    cat, django_capture_on_commit_callbacks
):
    closes = timezone.now() + timedelta(hours=2)
    attempt, answer = _submitted_essay(
        cat,
        django_capture_on_commit_callbacks,
        review_when=Quiz.ReviewWhen.AFTER_CLOSE,
        closes_at=closes,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.essay_mark(answer=answer, marker=UserFactory(), mark=Decimal("4"), comment="")
    assert not Notification.objects.exists()
    with time_machine.travel(closes + timedelta(minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            services.release_due_results()
    assert Notification.objects.filter(user=attempt.user, event="essay_marked").count() == 1


def test_a_quiz_without_essays_sends_nothing(cat, django_capture_on_commit_callbacks):
    quiz = make.quiz_with([make.true_false(cat)])
    learner = UserFactory()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_save(
        attempt=attempt, user=learner, question_id=attempt.layout[0]["question"], response={}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt=attempt, user=learner)
    assert not Notification.objects.exists()
