"""Attempts: start, save answers as given, submit once, grade, mark essays, close overdue.

Views, admin actions, the management command and the periodic task all call these.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import bleach
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import grading, history
from quizzes.models import Answer, Attempt, Category, Choice, Question, Quiz, QuizSlot
from quizzes.signals import attempt_graded

ESSAY_TAGS = ["p", "br", "b", "strong", "i", "em", "ul", "ol", "li"]
ESSAY_MAX_CHARS = 20_000
TWO_PLACES = Decimal("0.01")


class AttemptClosed(Exception):
    """The attempt is finished or past its deadline: no more answers."""


def clean_essay(text: str) -> str:
    """Essay text as stored and shown: a few harmless tags, everything else escaped."""
    return bleach.clean(str(text)[:ESSAY_MAX_CHARS], tags=ESSAY_TAGS, attributes={}, strip=True)


# Starting -------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawnQuestion:
    question_id: int
    slot_mark: Decimal | None
    category: Category | None  # the category of a random slot; None for a fixed one


def draw_questions(*, quiz: Quiz, rng: random.Random) -> list[DrawnQuestion]:
    """The questions of a new attempt (or a preview) with their slot marks.

    Slot order, then the quiz's cap and shuffle. A random slot reads only the ids of
    its category's questions, so the cost does not grow with the size of the bank
    beyond one light query.
    """
    drawn: list[DrawnQuestion] = []
    taken: set[int] = set()
    for slot in QuizSlot.objects.filter(quiz=quiz).select_related("random_category"):
        if slot.question_id:
            if slot.question_id not in taken:
                drawn.append(DrawnQuestion(slot.question_id, slot.mark, None))
                taken.add(slot.question_id)
            continue
        category = slot.random_category
        categories = category.descendant_ids() if slot.include_subcategories else [category.pk]
        pool = [
            pk
            for pk in Question.objects.filter(category__in=categories)
            .exclude(type=Question.Type.RATING)
            .values_list("pk", flat=True)
            if pk not in taken
        ]
        for pk in rng.sample(pool, min(slot.random_count, len(pool))):
            drawn.append(DrawnQuestion(pk, slot.mark, category))
            taken.add(pk)
    if quiz.max_questions and len(drawn) > quiz.max_questions:
        drawn = rng.sample(drawn, quiz.max_questions)
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


def _layout(drawn: list[DrawnQuestion], rng: random.Random) -> tuple[list[dict], Decimal]:
    questions = Question.objects.in_bulk([d.question_id for d in drawn])
    choice_ids: dict[int, list[int]] = {}
    for choice in Choice.objects.filter(question__in=list(questions)).values("pk", "question_id"):
        choice_ids.setdefault(choice["question_id"], []).append(choice["pk"])
    layout, total = [], Decimal("0")
    for entry in drawn:
        pk = entry.question_id
        question = questions[pk]
        mark = entry.slot_mark if entry.slot_mark is not None else question.default_mark
        if question.type == Question.Type.RATING:
            mark = Decimal("0")
        choices = list(choice_ids.get(pk, []))
        if question.shuffle_choices:
            rng.shuffle(choices)
        layout.append({"question": pk, "mark": str(mark), "choices": choices})
        total += mark
    return layout, total


def attempts_left(*, quiz: Quiz, user) -> int | None:
    """How many more attempts the learner may start (None: unlimited)."""
    if not quiz.attempts_allowed:
        return None
    used = Attempt.objects.filter(quiz=quiz, user=user).count()
    return max(0, quiz.attempts_allowed - used)


def attempt_start(*, quiz: Quiz, user, now: datetime | None = None) -> Attempt:
    """Start an attempt, or return the one in progress (so reopening resumes it)."""
    now = now or timezone.now()
    current = Attempt.objects.filter(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS).first()
    if current is not None:
        if current.deadline and current.deadline <= now:
            attempt_submit(attempt=current, user=user, now=now)
        else:
            return current
    if not quiz.published:
        raise Http404
    if not quiz.is_open(now):
        raise ValidationError(_("This quiz is not open now."), code="closed")
    if attempts_left(quiz=quiz, user=user) == 0:
        raise ValidationError(_("You have used all your attempts."), code="no_attempts")
    rng = random.SystemRandom()
    layout, total = _layout(draw_questions(quiz=quiz, rng=rng), rng)
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at
    number = (
        Attempt.objects.filter(quiz=quiz, user=user)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=number,
                started_at=now,
                deadline=deadline,
                layout=layout,
                max_score=total,
            )
    except IntegrityError:
        # A second click (or tab) started it at the same moment: use that one.
        return Attempt.objects.get(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS)


# Answering ------------------------------------------------------------------------


def own_attempt(*, attempt_id: int, user) -> Attempt:
    """The learner's own attempt, or 404 (never another learner's)."""
    attempt = Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise Http404
    return attempt


def _clean_response(question: Question, entry: dict, raw: dict) -> dict:
    """The response as given, restricted to what the question can accept."""
    allowed = set(entry["choices"])
    kind = question.type
    if kind == Question.Type.SINGLE:
        choice = _int(raw.get("choice"))
        return {"choice": choice} if choice in allowed else {}
    if kind == Question.Type.MULTIPLE:
        picked = sorted({c for c in map(_int, raw.get("choices") or []) if c in allowed})
        return {"choices": picked}
    if kind == Question.Type.TRUE_FALSE:
        value = raw.get("value")
        if value in (True, "true", "1", 1):
            return {"value": True}
        if value in (False, "false", "0", 0):
            return {"value": False}
        return {}
    if kind in {Question.Type.SHORT, Question.Type.NUMERIC}:
        return {"text": str(raw.get("text", ""))[:255]}
    if kind == Question.Type.ESSAY:
        return {"text": clean_essay(raw.get("text", ""))}
    if kind == Question.Type.RATING:
        ratings = {}
        for key, value in (raw.get("ratings") or {}).items():
            choice, points = _int(key), _int(value)
            if choice in allowed and points is not None and points >= 0:
                ratings[str(choice)] = points
        limit = question.rating_max or question.rating_points
        if question.rating_max:
            ratings = {k: min(v, limit) for k, v in ratings.items()}
        elif sum(ratings.values()) > question.rating_points:
            raise ValidationError(
                _("Share out at most %(points)s points.") % {"points": question.rating_points},
                code="too_many_points",
            )
        return {"ratings": ratings}
    return {}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def answer_save(
    *,
    attempt: Attempt,
    user,
    question_id: int,
    response: dict,
    now: datetime | None = None,
    question: Question | None = None,
) -> Answer:
    """Save one answer as given. Refused after the deadline or once finished.

    The answer names its attempt and question; both are checked against the
    learner's own attempt, so one cannot answer for another or for a question that
    was not drawn.
    """
    now = now or timezone.now()
    if attempt.user_id != user.pk:
        raise Http404
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise AttemptClosed
    if attempt.deadline and now > attempt.deadline:
        attempt_submit(attempt=attempt, user=user, now=now)
        raise AttemptClosed
    entry = next((e for e in attempt.layout if e["question"] == question_id), None)
    if entry is None:
        raise Http404
    if question is None or question.pk != question_id:
        question = Question.objects.get(pk=question_id)
    cleaned = _clean_response(question, entry, response)
    # One statement whether it is the first save or a changed mind.
    Answer.objects.bulk_create(
        [
            Answer(
                attempt=attempt,
                question_id=question_id,
                response=cleaned,
                saved_at=now,
                max_mark=Decimal(entry["mark"]),
            )
        ],
        update_conflicts=True,
        unique_fields=["attempt", "question"],
        update_fields=["response", "saved_at"],
    )
    return Answer(attempt=attempt, question=question, response=cleaned, saved_at=now)


# Finishing and grading ------------------------------------------------------------


def _grade_answers(attempt: Attempt) -> None:
    """Grade every saved answer, create empty ones for the unanswered, total the marks."""
    marks = {e["question"]: Decimal(e["mark"]) for e in attempt.layout}
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=list(marks)).prefetch_related(
            "choices", "accepted_answers"
        )
    }
    answers = {a.question_id: a for a in attempt.answers.all()}
    for pk, mark in marks.items():
        answer = answers.get(pk) or Answer(attempt=attempt, question_id=pk, response={})
        answer.max_mark = mark
        question = questions[pk]
        if question.type == Question.Type.ESSAY:
            if answer.mark is None and not answer.response.get("text", "").strip():
                answer.fraction, answer.mark = Decimal("0"), Decimal("0")  # nothing to mark
        elif question.type == Question.Type.RATING:
            answer.fraction, answer.mark = None, None
        else:
            answer.fraction = grading.grade(question, answer.response)
            answer.mark = (answer.fraction * mark).quantize(TWO_PLACES, ROUND_HALF_UP)
        answer.save()
    _total(attempt)


def _total(attempt: Attempt) -> None:
    answers = list(attempt.answers.select_related("question"))
    attempt.needs_marking = any(
        a.question.type == Question.Type.ESSAY and a.mark is None for a in answers
    )
    attempt.score = sum((a.mark or Decimal("0") for a in answers), Decimal("0"))
    if attempt.max_score:
        attempt.percent = (100 * attempt.score / attempt.max_score).quantize(TWO_PLACES)
    else:
        attempt.percent = None
    if attempt.quiz.kind == Quiz.Kind.SELF_ASSESSMENT:
        attempt.passed = None
    elif attempt.needs_marking:
        attempt.passed = None
    else:
        attempt.passed = (attempt.percent or Decimal("0")) >= attempt.quiz.pass_mark


def attempt_submit(*, attempt: Attempt, user, now: datetime | None = None) -> Attempt:
    """Finish and grade an attempt, once: a repeated or concurrent submit changes nothing.

    The row lock makes concurrent submits queue; each one after the first finds the
    attempt finished and returns it as it is.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if locked.user_id != user.pk:
            raise Http404
        if locked.state == Attempt.State.FINISHED:
            return locked
        locked.state = Attempt.State.FINISHED
        locked.finished_at = min(now, locked.deadline) if locked.deadline else now
        _grade_answers(locked)
        locked.save()
        if not locked.quiz.exam_paper:
            # Only the latest finished attempt is kept.
            Attempt.objects.filter(
                quiz=locked.quiz, user=locked.user, state=Attempt.State.FINISHED
            ).exclude(pk=locked.pk).delete()
        history.record(attempt=locked, action="submit", actor=user)
        transaction.on_commit(lambda: attempt_graded.send(sender=Attempt, attempt=locked))
    return locked


def essay_mark(*, answer: Answer, marker, mark: Decimal, comment: str) -> Attempt:
    """A trainer marks an essay; the attempt's grade is worked out again."""
    if not (Decimal("0") <= mark <= answer.max_mark):
        raise ValidationError(
            _("The mark must be between 0 and %(max)s.") % {"max": answer.max_mark},
            code="mark_out_of_range",
        )
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update().select_related("quiz").get(pk=answer.attempt_id)
        )
        answer.mark = mark.quantize(TWO_PLACES)
        answer.fraction = (mark / answer.max_mark) if answer.max_mark else Decimal("0")
        answer.comment = bleach.clean(comment, tags=[], strip=True)
        answer.marked_by = marker
        answer.marked_at = timezone.now()
        answer.save()
        _total(attempt)
        attempt.save()
        history.record(
            attempt=attempt,
            action="mark",
            actor=marker,
            details={"question": answer.question_id, "mark": answer.mark},
        )
        transaction.on_commit(lambda: attempt_graded.send(sender=Attempt, attempt=attempt))
    return attempt


def close_overdue_attempts(*, now: datetime | None = None) -> int:
    """Finish every attempt whose deadline has passed, as of its deadline."""
    now = now or timezone.now()
    closed = 0
    overdue = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now)
    for attempt in overdue.select_related("user").iterator():
        attempt_submit(attempt=attempt, user=attempt.user, now=now)
        closed += 1
    return closed


# Reading results ------------------------------------------------------------------


def quiz_grade(*, quiz: Quiz, user) -> Decimal | None:
    """The learner's grade for the quiz (a percentage) by the quiz's grading method."""
    finished = list(
        Attempt.objects.filter(
            quiz=quiz, user=user, state=Attempt.State.FINISHED, percent__isnull=False
        )
        .order_by("number")
        .values_list("percent", flat=True)
    )
    if not finished:
        return None
    if quiz.grading == Quiz.Grading.FIRST:
        return finished[0]
    if quiz.grading == Quiz.Grading.LAST:
        return finished[-1]
    if quiz.grading == Quiz.Grading.AVERAGE:
        return (sum(finished) / len(finished)).quantize(TWO_PLACES)
    return max(finished)


@dataclass(frozen=True)
class ReviewOptions:
    answers: bool
    correct: bool
    marks: bool
    feedback: bool

    @property
    def anything(self) -> bool:
        return self.answers or self.correct or self.marks or self.feedback


NO_REVIEW = ReviewOptions(False, False, False, False)


def review_options(*, attempt: Attempt, now: datetime | None = None) -> ReviewOptions:
    """What the learner may see of a finished attempt now (nothing before it is)."""
    now = now or timezone.now()
    quiz = attempt.quiz
    if attempt.state != Attempt.State.FINISHED or quiz.review_when == Quiz.ReviewWhen.NEVER:
        return NO_REVIEW
    if quiz.review_when == Quiz.ReviewWhen.AFTER_CLOSE and (
        quiz.closes_at is None or now < quiz.closes_at
    ):
        return NO_REVIEW
    return ReviewOptions(
        answers=quiz.review_answers,
        correct=quiz.review_correct,
        marks=quiz.review_marks,
        feedback=quiz.review_feedback,
    )


def question_feedback_now(*, attempt: Attempt) -> bool:
    """Does this quiz show the right answer straight after each question?"""
    quiz = attempt.quiz
    return quiz.review_when == Quiz.ReviewWhen.AFTER_EACH and quiz.kind == Quiz.Kind.GRADED


def self_assessment_profile(*, attempt: Attempt) -> list[tuple[str, int]]:
    """Points per scale from a self-assessment, highest first."""
    totals: dict[str, int] = {}
    scales = {}
    answers = attempt.answers.filter(question__type=Question.Type.RATING)
    choice_ids = [int(pk) for a in answers for pk in (a.response.get("ratings") or {})]
    for choice in Choice.objects.filter(pk__in=choice_ids).select_related("scale"):
        scales[choice.pk] = choice.scale.name if choice.scale else _("Other")
    for answer in answers:
        for pk, points in (answer.response.get("ratings") or {}).items():
            name = scales.get(int(pk))
            if name:
                totals[name] = totals.get(name, 0) + int(points)
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def category_success(*, user, quiz: Quiz | None = None) -> list[tuple[Category, Decimal, int]]:
    """Share of marks earned per question category over finished attempts.

    Only attempts whose marks the learner may already see count, so this page
    cannot reveal what the review options still hide.
    """
    answers = Answer.objects.filter(
        attempt__user=user, attempt__state=Attempt.State.FINISHED, mark__isnull=False
    ).select_related("question__category", "attempt__quiz")
    if quiz is not None:
        answers = answers.filter(attempt__quiz=quiz)
    totals: dict[int, list] = {}
    visible: dict[int, bool] = {}
    for answer in answers:
        if answer.attempt_id not in visible:
            visible[answer.attempt_id] = review_options(attempt=answer.attempt).marks
        if not answer.max_mark or not visible[answer.attempt_id]:
            continue
        category = answer.question.category
        entry = totals.setdefault(category.pk, [category, Decimal("0"), Decimal("0"), 0])
        entry[1] += answer.mark
        entry[2] += answer.max_mark
        entry[3] += 1
    return [
        (category, (100 * earned / possible).quantize(TWO_PLACES), count)
        for category, earned, possible, count in sorted(totals.values(), key=lambda e: str(e[0]))
    ]


def can_view_results_of_others(user) -> bool:
    return user.is_superuser or user.has_perm("quizzes.view_all_results")


def check_can_view(*, attempt: Attempt, user) -> None:
    if attempt.user_id != user.pk and not can_view_results_of_others(user):
        raise PermissionDenied


def recent_results(*, user, limit: int = 5) -> list[tuple[Attempt, bool]]:
    """The learner's latest finished attempts, each with whether its mark may be shown."""
    attempts = (
        Attempt.objects.filter(user=user, state=Attempt.State.FINISHED)
        .select_related("quiz")
        .order_by("-finished_at")[:limit]
    )
    return [
        (attempt, review_options(attempt=attempt).marks and not attempt.needs_marking)
        for attempt in attempts
    ]
