"""Item statistics: facility, discrimination, average mark, score distribution.

The worked example: three one-mark questions, four learners.

    learner   Q1 single   Q2 true/false   Q3 short   total
    first         1             1             1       100 %
    second        1             1             0        66.67 %
    third         1             0             0        33.33 %
    fourth        0             0             1        33.33 %

Facility: Q1 75 %, Q2 50 %, Q3 50 %.
Discrimination, x = the question's fraction, y = % on the other two questions:
  Q1: x = 1,1,1,0; y = 100,50,0,50 → Σ(x−x̄)(y−ȳ) = 0 → r = 0.
  Q2: x = 1,1,0,0; y = 100,50,50,50 → 25 / √(1 · 1875) = 1/√3 ≈ 0.577.
  Q3: x = 1,0,0,1; y = 100,100,50,0 → −25 / √(1 · 6875) ≈ −0.302.
Distribution: 30–40 % two attempts (50 %), 60–70 % one, 90–100 % one (25 % each).
"""

import math
from decimal import Decimal

import pytest
from django.utils import translation

from quizzes import services
from quizzes.models import AcceptedAnswer, Category, Choice, Question, Quiz, QuizSlot
from quizzes.statistics import (
    AnswerRow,
    item_statistics,
    pearson,
    quiz_statistics,
    score_distribution,
    two_proportion_z,
)
from tests.factories import UserFactory

RIGHT = {"q1": True, "q2": True, "q3": True}
PATTERNS = [
    {"q1": True, "q2": True, "q3": True},
    {"q1": True, "q2": True, "q3": False},
    {"q1": True, "q2": False, "q3": False},
    {"q1": False, "q2": False, "q3": True},
]


def build_quiz(category, questions, **settings) -> Quiz:
    quiz = Quiz.objects.create(title="Бюджет аула", published=True, **settings)
    for order, question in enumerate(questions):
        QuizSlot.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz


@pytest.fixture
def bank(db):
    category = Category.objects.create(name="Бюджет")
    q1 = Question.objects.create(
        category=category, type=Question.Type.SINGLE, name="Q1", text="<p>Кто утверждает?</p>"
    )
    Choice.objects.create(question=q1, text="Маслихат", fraction=Decimal("1"), sort_order=0)
    Choice.objects.create(question=q1, text="Аким", fraction=Decimal("0"), sort_order=1)
    q2 = Question.objects.create(
        category=category,
        type=Question.Type.TRUE_FALSE,
        name="Q2",
        text="<p>Бюджет на год?</p>",
        correct_bool=True,
    )
    q3 = Question.objects.create(
        category=category, type=Question.Type.SHORT, name="Q3", text="<p>Столица?</p>"
    )
    AcceptedAnswer.objects.create(question=q3, text="Астана", fraction=Decimal("1"))
    return category, [q1, q2, q3]


def take(quiz, user, answers: dict) -> None:
    """One finished attempt, answering each question right or wrong as told."""
    attempt = services.attempt_start(quiz=quiz, user=user)
    for question in Question.objects.filter(pk__in=attempt.question_ids):
        right = answers.get(question.name.lower())
        if right is None:
            continue
        if question.type == Question.Type.SINGLE:
            response = {"choice": question.choices.get(fraction=1 if right else 0).pk}
        elif question.type == Question.Type.TRUE_FALSE:
            response = {"value": right}
        elif question.type == Question.Type.ESSAY:
            response = {"text": "<p>Моё эссе</p>"}
        else:
            response = {"text": "Астана" if right else "Алматы"}
        services.answer_save(attempt=attempt, user=user, question_id=question.pk, response=response)
    services.attempt_submit(attempt=attempt, user=user)


@pytest.fixture
def example(bank):
    category, questions = bank
    quiz = build_quiz(category, questions)
    for pattern in PATTERNS:
        take(quiz, UserFactory(), pattern)
    return quiz, questions


def test_facility_average_mark_and_discrimination_on_the_worked_example(example):
    quiz, (q1, q2, q3) = example
    stats = quiz_statistics(quiz=quiz)
    assert stats.attempts == 4
    assert stats.mean_percent == Decimal("58.33")
    items = {item.question_id: item for item in stats.items}
    assert [item.question for item in stats.items] == [q1, q2, q3]  # slot order
    assert [items[q.pk].answers for q in (q1, q2, q3)] == [4, 4, 4]
    assert items[q1.pk].facility == Decimal("75.00")
    assert items[q2.pk].facility == Decimal("50.00")
    assert items[q3.pk].facility == Decimal("50.00")
    assert items[q1.pk].average_mark == Decimal("0.75")
    assert items[q1.pk].max_mark == Decimal("1.00")
    assert items[q1.pk].discrimination == pytest.approx(0.0, abs=1e-9)
    assert items[q2.pk].discrimination == pytest.approx(1 / math.sqrt(3))
    assert items[q3.pk].discrimination == pytest.approx(-25 / math.sqrt(6875))
    assert items[q3.pk].discrimination < 0 < items[q2.pk].discrimination


def test_score_distribution_of_the_worked_example(example):
    quiz, _questions = example
    buckets = quiz_statistics(quiz=quiz).distribution
    assert [b.label for b in buckets][:2] == ["0–10%", "10–20%"]
    assert buckets[-1].label == "90–100%"
    assert [b.count for b in buckets] == [0, 0, 0, 2, 0, 0, 1, 0, 0, 1]
    assert [b.value for b in buckets] == [0, 0, 0, 50, 0, 0, 25, 0, 0, 25]


def test_statistics_take_a_fixed_number_of_queries(example, django_assert_num_queries):
    quiz, questions = example
    with django_assert_num_queries(4):
        quiz_statistics(quiz=quiz)
    take(quiz, UserFactory(), RIGHT)
    take(quiz, UserFactory(), {})
    with django_assert_num_queries(4):
        stats = quiz_statistics(quiz=quiz)
    assert stats.attempts == 6


def test_attempts_awaiting_marking_are_left_out_until_marked(bank):
    category, questions = bank
    essay = Question.objects.create(
        category=category,
        type=Question.Type.ESSAY,
        name="Essay",
        text="<p>Опишите</p>",
        default_mark=Decimal("2"),
    )
    quiz = build_quiz(category, [questions[0], essay])
    take(quiz, UserFactory(), {"q1": True, "essay": True})
    take(quiz, UserFactory(), {"q1": False})  # no essay written: marked 0 at once
    stats = quiz_statistics(quiz=quiz)
    assert (stats.attempts, stats.awaiting_marking) == (1, 1)
    assert [item.answers for item in stats.items] == [1, 1]

    answer = essay.answers.get(mark__isnull=True)
    services.essay_mark(answer=answer, marker=UserFactory(), mark=Decimal("2"), comment="")
    stats = quiz_statistics(quiz=quiz)
    assert (stats.attempts, stats.awaiting_marking) == (2, 0)
    by_question = {item.question_id: item for item in stats.items}
    assert by_question[essay.pk].facility == Decimal("50.00")
    assert by_question[essay.pk].average_mark == Decimal("1.00")
    assert by_question[essay.pk].max_mark == Decimal("2.00")


def test_no_attempts_gives_empty_statistics(bank):
    category, questions = bank
    stats = quiz_statistics(quiz=build_quiz(category, questions))
    assert stats.attempts == 0
    assert stats.mean_percent is None
    assert stats.items == []
    assert [b.value for b in stats.distribution] == [0] * 10


# The pure functions ---------------------------------------------------------------


def test_pearson_is_none_when_undefined():
    assert pearson([], []) is None
    assert pearson([1.0], [50.0]) is None  # one attempt
    assert pearson([1.0, 1.0, 1.0], [10.0, 50.0, 90.0]) is None  # everyone right
    assert pearson([0.0, 1.0], [30.0, 30.0]) is None  # the rest does not vary
    assert pearson([0.0, 1.0], [0.0, 100.0]) == pytest.approx(1.0)
    assert pearson([0.0, 1.0], [100.0, 0.0]) == pytest.approx(-1.0)


def test_item_statistics_weigh_the_rest_of_the_quiz_by_its_marks():
    rows = [
        # attempt 1: got the 1-mark item, 3 of 4 on a 4-mark item
        AnswerRow(1, 10, Decimal("1"), Decimal("1"), Decimal("1")),
        AnswerRow(1, 20, Decimal("0.75"), Decimal("3"), Decimal("4")),
        # attempt 2: missed the 1-mark item, 1 of 4 on the other
        AnswerRow(2, 10, Decimal("0"), Decimal("0"), Decimal("1")),
        AnswerRow(2, 20, Decimal("0.25"), Decimal("1"), Decimal("4")),
    ]
    items = {item.question_id: item for item in item_statistics(rows)}
    assert items[10].facility == Decimal("50.00")
    assert items[20].facility == Decimal("50.00")
    assert items[20].average_mark == Decimal("2.00")
    assert items[10].discrimination == pytest.approx(1.0)
    assert items[20].discrimination == pytest.approx(1.0)


def test_an_item_alone_in_its_attempt_has_no_rest_to_correlate_with():
    rows = [
        AnswerRow(1, 10, Decimal("1"), Decimal("1"), Decimal("1")),
        AnswerRow(2, 10, Decimal("0"), Decimal("0"), Decimal("1")),
    ]
    (item,) = item_statistics(rows)
    assert item.answers == 2
    assert item.facility == Decimal("50.00")
    assert item.discrimination is None


def test_score_distribution_bucket_edges():
    buckets = score_distribution(
        [Decimal("0"), Decimal("9.99"), Decimal("10"), Decimal("89.99"), Decimal("90"), 100]
    )
    assert [b.count for b in buckets] == [2, 1, 0, 0, 0, 0, 0, 0, 1, 2]
    assert sum(b.value for b in buckets) in (99, 100, 101)
    assert [b.count for b in score_distribution([])] == [0] * 10


# Per language -------------------------------------------------------------------------
#
# One one-mark question, 10 answers in Russian (9 right) and 10 in Kazakh (3 right):
#   p_ru = 0.9, p_kk = 0.3, pooled p = 12/20 = 0.6,
#   z = (0.9 − 0.3) / √(0.6 · 0.4 · (1/10 + 1/10)) = 0.6 / √0.048 ≈ 2.7386,
#   P = erfc(2.7386 / √2) ≈ 0.00617: flagged, easier in Russian.
# 7 of 10 against 5 of 10: z = 0.2 / √0.048 ≈ 0.9129, P ≈ 0.361: not flagged.


def answers(question_id: int, language: str, right: int, total: int, first_attempt: int = 1):
    return [
        AnswerRow(
            first_attempt + n,
            question_id,
            Decimal(1 if n < right else 0),
            Decimal(1 if n < right else 0),
            Decimal("1"),
            language,
        )
        for n in range(total)
    ]


def test_facility_per_language_and_the_difference_beyond_chance():
    rows = answers(10, "ru", 9, 10) + answers(10, "kk", 3, 10, first_attempt=100)
    (item,) = item_statistics(rows)
    assert (item.answers, item.facility) == (20, Decimal("60.00"))
    assert [(v.language, v.answers, v.facility) for v in item.by_language] == [
        ("kk", 10, Decimal("30.00")),
        ("ru", 10, Decimal("90.00")),
    ]
    (difference,) = item.differences
    assert (difference.first, difference.second) == ("ru", "kk")  # easier first
    assert (difference.first_facility, difference.second_facility) == (
        Decimal("90.00"),
        Decimal("30.00"),
    )
    assert difference.z == pytest.approx(0.6 / math.sqrt(0.048))
    assert difference.z == pytest.approx(2.7386, abs=1e-4)
    assert difference.p_value == pytest.approx(0.00617, abs=1e-5)


def test_a_difference_chance_explains_is_not_flagged():
    rows = answers(10, "ru", 7, 10) + answers(10, "kk", 5, 10, first_attempt=100)
    (item,) = item_statistics(rows)
    assert [v.facility for v in item.by_language] == [Decimal("50.00"), Decimal("70.00")]
    assert item.differences == ()
    z, p_value = two_proportion_z(7, 10, 5, 10)
    assert z == pytest.approx(0.9129, abs=1e-4) and p_value == pytest.approx(0.3613, abs=1e-4)


def test_languages_with_fewer_than_ten_answers_are_not_compared():
    # 9 of 9 against 2 of 9 would give z ≈ 3.38 (P ≈ 0.0007): too few answers to test.
    rows = answers(10, "ru", 9, 9) + answers(10, "kk", 2, 9, first_attempt=100)
    (item,) = item_statistics(rows)
    assert item.differences == ()
    assert two_proportion_z(9, 9, 2, 9)[0] == pytest.approx(3.3845, abs=1e-4)
    # Everyone alike: no variance, no test.
    assert two_proportion_z(10, 10, 10, 10) is None


def test_discrimination_per_language_reads_the_rest_of_the_whole_attempt():
    # Two one-mark questions. Kazakh: attempt 1 both right, attempt 2 both wrong;
    # Russian: attempt 3 only Q10 right, attempt 4 only Q20 right.
    # Q10 in Kazakh: x = 1, 0; y = 100, 0 → r = 1. In Russian: x = 1, 0; y = 0, 100 → −1.
    # Pooled: x = 1, 0, 1, 0; y = 100, 0, 0, 100 → Σ(x−x̄)(y−ȳ) = 0 → r = 0.
    def row(attempt, question, right, language):
        one = Decimal(1 if right else 0)
        return AnswerRow(attempt, question, one, one, Decimal("1"), language)

    rows = [
        row(1, 10, True, "kk"),
        row(1, 20, True, "kk"),
        row(2, 10, False, "kk"),
        row(2, 20, False, "kk"),
        row(3, 10, True, "ru"),
        row(3, 20, False, "ru"),
        row(4, 10, False, "ru"),
        row(4, 20, True, "ru"),
    ]
    q10 = next(item for item in item_statistics(rows) if item.question_id == 10)
    assert q10.discrimination == pytest.approx(0.0, abs=1e-9)
    kk, ru = q10.by_language
    assert (kk.language, kk.discrimination) == ("kk", pytest.approx(1.0))
    assert (ru.language, ru.discrimination) == ("ru", pytest.approx(-1.0))


def test_quiz_statistics_count_each_answer_in_the_language_it_was_shown_in(bank):
    category, (q1, q2, q3) = bank
    q1.text_kk = "<p>Кім бекітеді?</p>"  # Q2 and Q3 are Russian only
    q1.save()
    quiz = build_quiz(category, [q1, q2, q3])
    with translation.override("kk"):
        take(quiz, UserFactory(), RIGHT)
    take(quiz, UserFactory(), {})
    items = {item.question_id: item for item in quiz_statistics(quiz=quiz).items}
    assert [(v.language, v.answers, v.facility) for v in items[q1.pk].by_language] == [
        ("kk", 1, Decimal("100.00")),
        ("ru", 1, Decimal("0.00")),
    ]
    assert [(v.language, v.answers) for v in items[q2.pk].by_language] == [("ru", 2)]
