"""The dashboard's recent results, read with written-out SQL: the same attempts, values
and views as ``finished_attempts_with_views``, in one query, the learner's own only."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone, translation

from quizzes import selectors
from quizzes.models import Attempt, Quiz
from tests.factories import UserFactory
from tests.factories import quizzes as make


def _finished(quiz, user, number, *, days_ago, percent, passed, needs_marking=False):
    return Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        state=Attempt.State.FINISHED,
        finished_at=timezone.now() - timedelta(days=days_ago),
        percent=percent,
        passed=passed,
        needs_marking=needs_marking,
    )


def _shown(results):
    return [
        (a.pk, a.quiz.title, a.finished_at, a.percent, a.passed, a.quiz_id, view)
        for a, view in results
    ]


def test_recent_results_are_what_every_result_list_shows(learner, cat, django_assert_num_queries):
    graded = make.quiz_with([make.single(cat)], title="Бюджет аула")
    graded.title_kk = "Ауыл бюджеті"
    graded.save()
    after_close = make.quiz_with(
        [make.single(cat)],
        title="Итоговый",
        review_when=Quiz.ReviewWhen.AFTER_CLOSE,
        closes_at=timezone.now() - timedelta(days=1),
    )
    hidden = make.quiz_with([make.single(cat)], title="Скрытый", review_when=Quiz.ReviewWhen.NEVER)
    for number in range(1, 4):
        _finished(
            graded, learner, number, days_ago=10 - number, percent=Decimal("40.5"), passed=False
        )
    _finished(after_close, learner, 1, days_ago=2, percent=Decimal("66.67"), passed=True)
    _finished(hidden, learner, 1, days_ago=1, percent=Decimal("90"), passed=True)
    _finished(graded, learner, 4, days_ago=20, percent=None, passed=None, needs_marking=True)
    Attempt.objects.create(quiz=graded, user=learner, number=5)  # in progress
    other = UserFactory()
    _finished(graded, other, 1, days_ago=0, percent=Decimal("100"), passed=True)

    for language in ("ru", "kk", "en"):
        with translation.override(language):
            expected = selectors.finished_attempts_with_views(user=learner, limit=5)
            with django_assert_num_queries(1):
                shown = _shown(selectors.recent_results(user=learner, limit=5))
            assert shown == _shown(expected)
    assert len(shown) == 5
    assert [view.grade for *_a, view in shown] == [False, True, True, True, True]
    with translation.override("kk"):
        assert shown[-1][1] != _shown(selectors.recent_results(user=learner, limit=5))[-1][1]
    assert _shown(selectors.recent_results(user=other, limit=5))[0][3] == Decimal("100")
    assert selectors.recent_results(user=UserFactory(), limit=5) == []
