"""Attempts: start, resume, answers as given, time limits, submit once, grading options."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from quizzes import selectors, services
from quizzes.models import Answer, Attempt, Question, QuizSlot
from tests.factories import UserFactory
from tests.factories import quizzes as make


def _answer_all_right(attempt, user):
    for entry in attempt.layout:
        question = Question.objects.get(pk=entry["question"])
        if question.type == Question.Type.SINGLE:
            response = {"choice": question.choices.get(fraction=1).pk}
        elif question.type == Question.Type.TRUE_FALSE:
            response = {"value": question.correct_bool}
        else:
            response = {"text": question.accepted_answers.order_by("-fraction").first().text}
        services.answer_save(attempt=attempt, user=user, question_id=question.pk, response=response)


def test_reopening_resumes_the_same_attempt_in_the_same_order(quiz, learner):
    quiz.shuffle_questions = True
    quiz.save()
    first = services.attempt_start(quiz=quiz, user=learner)
    again = services.attempt_start(quiz=quiz, user=learner)
    assert again.pk == first.pk
    assert again.layout == first.layout


def test_answers_are_saved_as_given_and_survive_a_dropped_connection(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    short_id = next(
        e["question"]
        for e in attempt.layout
        if Question.objects.get(pk=e["question"]).type == "short"
    )
    services.answer_save(
        attempt=attempt, user=learner, question_id=short_id, response={"text": "Портал  госзакупок"}
    )
    resumed = services.attempt_start(quiz=quiz, user=learner)  # a new visit after the drop
    saved = Answer.objects.get(attempt=resumed, question_id=short_id)
    assert saved.response == {"text": "Портал  госзакупок"}


def test_a_full_right_attempt_passes_and_shows_the_pass_message(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    _answer_all_right(attempt, learner)
    finished = services.attempt_submit(attempt=attempt, user=learner)
    assert finished.state == Attempt.State.FINISHED
    assert finished.percent == Decimal("100.00")
    assert finished.passed is True


def test_unanswered_questions_count_as_zero(quiz, learner):
    finished = services.attempt_submit(
        attempt=services.attempt_start(quiz=quiz, user=learner), user=learner
    )
    assert finished.score == 0 and finished.passed is False
    assert finished.answers.count() == 3


def test_submitting_twice_changes_nothing(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    first = services.attempt_submit(attempt=attempt, user=learner)
    second = services.attempt_submit(attempt=attempt, user=learner)
    assert first.finished_at == second.finished_at
    with pytest.raises(services.AttemptClosed):
        services.answer_save(
            attempt=second, user=learner, question_id=attempt.layout[0]["question"], response={}
        )


def test_an_answer_must_name_the_learners_own_attempt_and_a_drawn_question(quiz, learner, cat):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    other = UserFactory()
    with pytest.raises(services.AttemptNotFound):
        services.answer_save(
            attempt=attempt, user=other, question_id=attempt.layout[0]["question"], response={}
        )
    stray = make.true_false(cat)
    with pytest.raises(services.AttemptNotFound):
        services.answer_save(
            attempt=attempt, user=learner, question_id=stray.pk, response={"value": True}
        )
    with pytest.raises(services.AttemptNotFound):
        services.own_attempt(attempt_id=attempt.pk, user=other)


def test_choices_from_another_question_are_not_accepted(quiz, learner, cat):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    single_id = next(
        e["question"]
        for e in attempt.layout
        if Question.objects.get(pk=e["question"]).type == "single"
    )
    foreign = make.single(cat, name="Другой").choices.first()
    services.answer_save(
        attempt=attempt, user=learner, question_id=single_id, response={"choice": foreign.pk}
    )
    assert Answer.objects.get(attempt=attempt, question_id=single_id).response == {}


def test_the_server_refuses_late_answers_and_closes_at_the_deadline(quiz, learner):
    quiz.time_limit_minutes = 10
    quiz.save()
    with time_machine.travel("2026-05-04 09:00:00+00:00", tick=False) as clock:
        attempt = services.attempt_start(quiz=quiz, user=learner)
        assert attempt.deadline == timezone.now() + timedelta(minutes=10)
        clock.shift(timedelta(minutes=11))
        with pytest.raises(services.AttemptClosed):
            services.answer_save(
                attempt=attempt,
                user=learner,
                question_id=attempt.layout[0]["question"],
                response={"value": True},
            )
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.finished_at == attempt.deadline
    assert not attempt.answers.exclude(response={}).exists()


def test_overdue_attempts_are_closed_by_the_periodic_job(quiz, learner):
    quiz.time_limit_minutes = 5
    quiz.save()
    with time_machine.travel("2026-05-04 09:00:00+00:00", tick=False) as clock:
        attempt = services.attempt_start(quiz=quiz, user=learner)
        clock.shift(timedelta(minutes=30))
        call_command("close_overdue_attempts")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.finished_at == attempt.deadline


def test_the_deadline_never_passes_the_closing_time(quiz, learner):
    now = timezone.now()
    quiz.time_limit_minutes = 60
    quiz.closes_at = now + timedelta(minutes=15)
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner, now=now)
    assert attempt.deadline == quiz.closes_at


def test_closed_or_draft_quizzes_cannot_be_started(quiz, learner):
    quiz.opens_at = timezone.now() + timedelta(days=1)
    quiz.save()
    with pytest.raises(ValidationError):
        services.attempt_start(quiz=quiz, user=learner)
    quiz.opens_at = None
    quiz.published = False
    quiz.save()
    with pytest.raises(services.QuizUnavailable):
        services.attempt_start(quiz=quiz, user=learner)


def test_one_attempt_only(quiz, learner):
    quiz.attempts_allowed = 1
    quiz.save()
    services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=learner), user=learner)
    with pytest.raises(ValidationError) as error:
        services.attempt_start(quiz=quiz, user=learner)
    assert error.value.code == "no_attempts"


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("highest", Decimal("100")),
        ("last", Decimal("0")),
        ("first", Decimal("100")),
        ("average", Decimal("50")),
    ],
)
def test_grading_methods(quiz, learner, method, expected):
    quiz.grading = method
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    _answer_all_right(attempt, learner)
    services.attempt_submit(attempt=attempt, user=learner)
    services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=learner), user=learner)
    assert selectors.quiz_grade(quiz=quiz, user=learner) == expected


def test_without_exam_paper_only_the_latest_attempt_counts_but_all_are_kept(quiz, learner):
    quiz.exam_paper = False
    quiz.grading = "highest"
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    _answer_all_right(attempt, learner)
    services.attempt_submit(attempt=attempt, user=learner)
    for _ in range(2):
        services.attempt_submit(
            attempt=services.attempt_start(quiz=quiz, user=learner), user=learner
        )
    assert list(
        Attempt.objects.filter(user=learner).order_by("number").values_list("number", flat=True)
    ) == [1, 2, 3]
    # "Highest" would be 100 % over all three; only the latest (0 %) counts.
    assert selectors.quiz_grade(quiz=quiz, user=learner) == Decimal("0.00")


@pytest.mark.parametrize("exam_paper", [True, False])
def test_the_attempt_limit_counts_every_attempt_ever_started(quiz, learner, exam_paper):
    quiz.attempts_allowed = 2
    quiz.exam_paper = exam_paper
    quiz.save()
    for _ in range(2):
        services.attempt_submit(
            attempt=services.attempt_start(quiz=quiz, user=learner), user=learner
        )
    assert services.attempts_left(quiz=quiz, user=learner) == 0
    with pytest.raises(ValidationError) as error:
        services.attempt_start(quiz=quiz, user=learner)
    assert error.value.code == "no_attempts"
    assert Attempt.objects.filter(user=learner).count() == 2


def test_the_attempt_limit_holds_even_if_an_attempt_row_disappears(quiz, learner):
    quiz.attempts_allowed = 2
    quiz.save()
    for _ in range(2):
        services.attempt_submit(
            attempt=services.attempt_start(quiz=quiz, user=learner), user=learner
        )
    Attempt.objects.filter(user=learner, number=1).delete()
    with pytest.raises(ValidationError):
        services.attempt_start(quiz=quiz, user=learner)


def test_exam_paper_keeps_every_attempt(quiz, learner):
    for _ in range(3):
        services.attempt_submit(
            attempt=services.attempt_start(quiz=quiz, user=learner), user=learner
        )
    assert Attempt.objects.filter(user=learner).count() == 3


def test_random_draw_and_maximum_number_of_questions(cat, learner):
    bank = make.category("Закупки", parent=cat)
    for _ in range(12):
        make.true_false(bank)
    quiz = make.quiz_with([], max_questions=5)
    QuizSlot.objects.create(
        quiz=quiz, random_category=cat, random_count=8, include_subcategories=True
    )
    attempt = services.attempt_start(quiz=quiz, user=learner)
    ids = attempt.question_ids
    assert len(ids) == 5 and len(set(ids)) == 5
    assert set(Question.objects.filter(pk__in=ids).values_list("category", flat=True)) == {bank.pk}


def test_choice_order_is_shuffled_per_attempt_but_stable_on_reload(cat, learner):
    question = make.single(cat)
    for n in range(8):
        question.choices.create(text=f"Вариант {n}", fraction=0)
    quiz = make.quiz_with([question])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    orders = {
        tuple(services.attempt_start(quiz=quiz, user=learner).layout[0]["choices"])
        for _ in range(3)
    }
    assert len(orders) == 1
    seen = {tuple(attempt.layout[0]["choices"])}
    for _ in range(6):
        services.attempt_submit(attempt=attempt, user=learner)
        attempt = services.attempt_start(quiz=quiz, user=learner)
        seen.add(tuple(attempt.layout[0]["choices"]))
    assert len(seen) > 1  # 12! orders: six more draws repeating one is vanishingly rare


def test_essay_waits_for_a_trainer_then_counts(cat, learner):
    trainer = UserFactory()
    quiz = make.quiz_with([make.essay(cat), make.true_false(cat)])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    essay_id = attempt.layout[0]["question"]
    services.answer_save(
        attempt=attempt,
        user=learner,
        question_id=essay_id,
        response={"text": "<p>Проект <script>alert(1)</script><b>дороги</b></p>"},
    )
    finished = services.attempt_submit(attempt=attempt, user=learner)
    assert finished.needs_marking and finished.passed is None
    answer = Answer.objects.get(attempt=attempt, question_id=essay_id)
    assert "<script>" not in answer.response["text"] and "<b>дороги</b>" in answer.response["text"]
    with pytest.raises(ValidationError):
        services.essay_mark(answer=answer, marker=trainer, mark=Decimal("9"), comment="")
    graded = services.essay_mark(
        answer=answer, marker=trainer, mark=Decimal("4"), comment="Хороший план"
    )
    assert not graded.needs_marking
    assert graded.score == Decimal("4.00") and graded.percent == Decimal("66.67")
    assert graded.passed is True


def test_self_assessment_scores_into_scales(cat, learner):
    from quizzes.models import Quiz, Scale

    scales = [
        Scale.objects.create(name=n) for n in ["Координатор", "Генератор идей", "Исполнитель"]
    ]
    question = make.rating(cat, scales)
    quiz = make.quiz_with([question], kind=Quiz.Kind.SELF_ASSESSMENT)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    choices = {c.scale.name: c.pk for c in question.choices.select_related("scale")}
    services.answer_save(
        attempt=attempt,
        user=learner,
        question_id=question.pk,
        response={"ratings": {choices["Координатор"]: 6, choices["Исполнитель"]: 4}},
    )
    with pytest.raises(ValidationError):
        services.answer_save(
            attempt=attempt,
            user=learner,
            question_id=question.pk,
            response={"ratings": {choices["Координатор"]: 9, choices["Исполнитель"]: 9}},
        )
    finished = services.attempt_submit(attempt=attempt, user=learner)
    assert finished.passed is None
    assert selectors.self_assessment_profile(attempt=finished) == [
        ("Координатор", 6),
        ("Исполнитель", 4),
    ]


def test_success_rate_per_category(cat, learner):
    other = make.category("Закупки")
    quiz = make.quiz_with([make.true_false(cat), make.true_false(other)])
    attempt = services.attempt_start(quiz=quiz, user=learner)
    first = attempt.layout[0]["question"]
    services.answer_save(attempt=attempt, user=learner, question_id=first, response={"value": True})
    services.attempt_submit(attempt=attempt, user=learner)
    rates = {str(c): rate for c, rate, _n in selectors.category_success(user=learner)}
    right_category = str(Question.objects.get(pk=first).category)
    assert rates[right_category] == Decimal("100.00")
    assert sorted(rates.values()) == [Decimal("0.00"), Decimal("100.00")]
