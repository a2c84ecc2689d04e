"""Answering a question and moving on: one service decides where the learner goes."""

from quizzes import services
from quizzes.models import Answer, Attempt, Question, Quiz


def _question(attempt, position):
    return Question.objects.get(pk=attempt.layout[position]["question"])


def _submit(attempt, learner, position, go, **kwargs):
    return services.answer_submit(
        attempt=attempt,
        user=learner,
        question=_question(attempt, position),
        position=position,
        response={},
        go=go,
        **kwargs,
    )


def test_next_previous_and_summary_move_the_learner_and_are_remembered(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    last = len(attempt.layout) - 1

    assert _submit(attempt, learner, 0, "next") == services.NextStep(position=1)
    assert Attempt.objects.get(pk=attempt.pk).current_position == 1
    assert _submit(attempt, learner, 0, "previous").position == 0  # not before the first
    assert _submit(attempt, learner, last, "next").position == last  # nor past the last
    assert _submit(attempt, learner, last, "summary").position is None
    assert Attempt.objects.get(pk=attempt.pk).current_position == last
    assert Answer.objects.filter(attempt=attempt).count() == 2


def test_a_locked_answer_is_not_saved_again(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    assert _submit(attempt, learner, 0, "next", locked=True) == services.NextStep(position=1)
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_checking_stays_on_the_question_and_an_answer_checked_meanwhile_is_kept(quiz, learner):
    quiz.review_when = Quiz.ReviewWhen.AFTER_EACH
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner)

    assert _submit(attempt, learner, 0, "check") == services.NextStep(position=0)
    assert Answer.objects.get(attempt=attempt, question=_question(attempt, 0)).checked_at

    # Another tab still showed the form: its "next" keeps the checked answer and says so.
    step = _submit(attempt, learner, 0, "next")
    assert step == services.NextStep(position=1, already_checked=True)
