"""Reads of the quiz engine that decide visibility.

Two rules, each decided here and nowhere else:

* **What a learner may see of their own results** (:func:`result_view`): the grade,
  pass or fail, their answers, the right answers, marks and feedback. Every page and
  list that shows a learner anything of a finished attempt (the quiz page, the result
  and its review, "my results", the dashboard, the per-topic rates, the course's
  progress through :data:`quizzes.signals.attempt_released`, the certificate's grade)
  asks this function.
* **Whose results a member of staff may read** (:func:`attempts_visible_to`): results
  lists, exports, essay marking. People with ``quizzes.view_all_results``
  (methodologists, registrars) read everyone's; anyone else reads what the hosting
  app's ``QUIZZES_RESULTS_SCOPE`` lets them (in this project: the learners of the
  cohorts a trainer teaches, in those cohorts' courses).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from modeltranslation.utils import get_translation_fields

from lms import sql
from lms.page_generation import GenerationMemo, current_generation
from quizzes import access, grading, i18n
from quizzes.models import Answer, Attempt, Category, Choice, Question, Quiz, QuizSlot

TWO_PLACES = Decimal("0.01")


# What a learner may see ------------------------------------------------------------


@dataclass(frozen=True)
class ResultView:
    """What the learner may see of one of their attempts, now."""

    grade: bool  # the percentage and passed / not passed
    answers: bool  # their own answers in the review
    correct: bool  # the right answers
    marks: bool  # the mark of each question
    feedback: bool  # feedback, explanations and the marker's comments

    @property
    def review(self) -> bool:
        """Is there a review of the questions to show at all?"""
        return self.answers or self.correct or self.marks or self.feedback


NOTHING = ResultView(grade=False, answers=False, correct=False, marks=False, feedback=False)


def results_released(*, quiz: Quiz, now: datetime | None = None) -> bool:
    """Has the quiz released its results to learners (its review options, its close)?"""
    if quiz.review_when == Quiz.ReviewWhen.NEVER:
        return False
    if quiz.review_when == Quiz.ReviewWhen.AFTER_CLOSE:
        return quiz.closes_at is not None and (now or timezone.now()) >= quiz.closes_at
    return True


def shows_results_eventually(quiz: Quiz) -> bool:
    """Will learners ever see the outcome of this quiz? A quiz that never shows the
    grade cannot count towards completing a course: the progress would show it."""
    if quiz.kind == Quiz.Kind.SELF_ASSESSMENT:
        return True
    if quiz.review_when == Quiz.ReviewWhen.AFTER_CLOSE and quiz.closes_at is None:
        return False
    return quiz.review_marks and quiz.review_when != Quiz.ReviewWhen.NEVER


def required_by_host(quiz: Quiz) -> bool:
    """Does the hosting app count this quiz towards something (``QUIZZES_REQUIRED_BY_HOST``)?"""
    path = getattr(settings, "QUIZZES_REQUIRED_BY_HOST", "")
    return bool(path and quiz.pk and import_string(path)(quiz))


def final_exam_by_host(quiz: Quiz) -> bool:
    """Does the hosting app hold this quiz as a final exam (``QUIZZES_FINAL_EXAM_BY_HOST``)?"""
    path = getattr(settings, "QUIZZES_FINAL_EXAM_BY_HOST", "")
    return bool(path and quiz.pk and import_string(path)(quiz))


def host_links(*, quiz: Quiz, user) -> list[tuple[str, str]]:
    """(title, url) of the pages hosting ``quiz`` for ``user``, outermost first, as the
    hosting app gives them (``QUIZZES_HOST_LINKS``): the breadcrumb of the quiz's pages."""
    path = getattr(settings, "QUIZZES_HOST_LINKS", "")
    return list(import_string(path)(user, quiz)) if path else []


def result_view(*, attempt: Attempt, now: datetime | None = None) -> ResultView:
    """What the learner may see of ``attempt`` now: nothing before it is finished, and
    only what the quiz's review options allow once they allow it.

    The grade also waits for essays to be marked: a partial score is not a result.
    """
    quiz = attempt.quiz
    if attempt.state != Attempt.State.FINISHED or not results_released(quiz=quiz, now=now):
        return NOTHING
    return ResultView(
        grade=quiz.review_marks
        and quiz.kind == Quiz.Kind.GRADED
        and not attempt.needs_marking
        and attempt.percent is not None,
        answers=quiz.review_answers,
        correct=quiz.review_correct,
        marks=quiz.review_marks,
        feedback=quiz.review_feedback,
    )


def outcome_visible(*, attempt: Attempt, now: datetime | None = None) -> bool:
    """May the learner see how the attempt came out? Its grade for a graded quiz;
    for a self-assessment (no right answers) finishing it is the outcome."""
    if attempt.state != Attempt.State.FINISHED:
        return False
    if attempt.quiz.kind == Quiz.Kind.SELF_ASSESSMENT:
        return True
    return result_view(attempt=attempt, now=now).grade


def attempts_due_for_release(*, now: datetime | None = None) -> QuerySet[Attempt]:
    """Graded attempts whose outcome has become visible but was not yet passed on:
    those of a quiz that shows results once it closes, after its close, and those of
    a quiz whose review options were opened up since."""
    now = now or timezone.now()
    released_now = Q(
        quiz__review_when__in=[Quiz.ReviewWhen.IMMEDIATELY, Quiz.ReviewWhen.AFTER_EACH]
    ) | Q(quiz__review_when=Quiz.ReviewWhen.AFTER_CLOSE, quiz__closes_at__lte=now)
    return (
        Attempt.objects.filter(
            state=Attempt.State.FINISHED,
            released_at__isnull=True,
            needs_marking=False,
            quiz__kind=Quiz.Kind.GRADED,
            quiz__review_marks=True,
        )
        .filter(released_now)
        .select_related("quiz", "user")
    )


def feedback_after_each_question(*, quiz: Quiz) -> bool:
    """Does the quiz show the right answer straight after each question is checked?"""
    return quiz.review_when == Quiz.ReviewWhen.AFTER_EACH and quiz.kind == Quiz.Kind.GRADED


def graded_attempts(*, quiz: Quiz, user) -> list[Attempt]:
    """The finished, fully marked attempts the grading method reads, oldest first.

    Every attempt is kept; with "every attempt counts" off only the latest counts.
    """
    attempts = list(
        Attempt.objects.filter(
            quiz=quiz,
            user=user,
            state=Attempt.State.FINISHED,
            needs_marking=False,
            percent__isnull=False,
        ).order_by("number")
    )
    if attempts and not quiz.exam_paper:
        return attempts[-1:]
    return attempts


def quiz_grade(*, quiz: Quiz, user) -> Decimal | None:
    """The learner's grade for the quiz (a percentage) by its grading method, as staff
    see it: whether or not the learner may see it yet."""
    return _grade_of(quiz, [attempt.percent for attempt in graded_attempts(quiz=quiz, user=user)])


def quiz_grades(*, quizzes: list[Quiz], users) -> dict[tuple[int, int], Decimal]:
    """``quiz_grade`` of many learners in many quizzes, by (user id, quiz id), in one
    query whatever their number (``users``: a list of ids or a subquery)."""
    by_quiz = {quiz.pk: quiz for quiz in quizzes}
    percents: dict[tuple[int, int], list[Decimal]] = {}
    for user_id, quiz_id, percent in (
        Attempt.objects.filter(
            quiz__in=list(by_quiz),
            user__in=users,
            state=Attempt.State.FINISHED,
            needs_marking=False,
            percent__isnull=False,
        )
        .order_by("number")
        .values_list("user_id", "quiz_id", "percent")
    ):
        percents.setdefault((user_id, quiz_id), []).append(percent)
    grades = {}
    for (user_id, quiz_id), values in percents.items():
        quiz = by_quiz[quiz_id]
        grade = _grade_of(quiz, values if quiz.exam_paper else values[-1:])
        if grade is not None:
            grades[(user_id, quiz_id)] = grade
    return grades


def grades_released(*, quiz: Quiz, now: datetime | None = None) -> bool:
    """May learners see their grade in the quiz now (its review shows marks, and has
    released them)? The rule ``released_grade`` applies to one learner."""
    return quiz.review_marks and results_released(quiz=quiz, now=now)


def _grade_of(quiz: Quiz, percents: list[Decimal]) -> Decimal | None:
    """The grade the quiz's grading method makes of the counted attempts' percents."""
    if not percents:
        return None
    if quiz.grading == Quiz.Grading.FIRST:
        return percents[0]
    if quiz.grading == Quiz.Grading.LAST:
        return percents[-1]
    if quiz.grading == Quiz.Grading.AVERAGE:
        return (sum(percents) / len(percents)).quantize(TWO_PLACES)
    return max(percents)


def released_grade(*, quiz: Quiz, user, now: datetime | None = None) -> Decimal | None:
    """The learner's grade as the learner may see it: None until the quiz releases
    grades (and where its review never shows marks)."""
    if not grades_released(quiz=quiz, now=now):
        return None
    return quiz_grade(quiz=quiz, user=user)


def finished_attempts_with_views(
    *, user, limit: int | None = None, now: datetime | None = None
) -> list[tuple[Attempt, ResultView]]:
    """The learner's finished attempts, newest first, each with what they may see."""
    attempts = (
        Attempt.objects.filter(user=user, state=Attempt.State.FINISHED)
        .select_related("quiz")
        .order_by("-finished_at", "-pk")
    )
    if limit is not None:
        attempts = attempts[:limit]
    return [(attempt, result_view(attempt=attempt, now=now)) for attempt in attempts]


# What the dashboard's "Recent test results" reads of an attempt and of its quiz: the
# line's own values and what ``result_view`` decides on (the title in every language
# for the active one's fallbacks). The other fields are deferred.
_RECENT_ATTEMPT = (
    "id",
    "quiz",
    "user",
    "state",
    "finished_at",
    "percent",
    "passed",
    "needs_marking",
)
_RECENT_QUIZ = (
    "id",
    "kind",
    "review_when",
    "closes_at",
    "review_answers",
    "review_correct",
    "review_marks",
    "review_feedback",
    "title",
)


@functools.cache
def _recent_results_sql(vendor: str) -> tuple[str, tuple[str, ...]]:
    """The statement and the quiz fields it reads, written once per process: every
    signed-in learner's dashboard asks it, mostly to learn there is nothing (no
    attempt finished yet), and compiling it cost ten times the rest."""
    quiz_fields = (*_RECENT_QUIZ, *get_translation_fields("title"))
    a, q = "a", "q"
    statement = (
        f"SELECT {sql.columns(Attempt, _RECENT_ATTEMPT, a)}, "  # noqa: S608
        f"{sql.columns(Quiz, quiz_fields, q)} "
        f"FROM {sql.table(Attempt)} {a} INNER JOIN {sql.table(Quiz)} {q} "
        f"ON {sql.column(Quiz, 'id', q)} = {sql.column(Attempt, 'quiz', a)} "
        f"WHERE {sql.column(Attempt, 'user', a)} = %s "
        f"AND {sql.column(Attempt, 'state', a)} = %s "
        f"ORDER BY {sql.column(Attempt, 'finished_at', a)} DESC, "
        f"{sql.column(Attempt, 'id', a)} DESC LIMIT %s"
    )
    return statement, quiz_fields


def recent_results(
    *, user, limit: int = 5, now: datetime | None = None
) -> list[tuple[Attempt, ResultView]]:
    """``finished_attempts_with_views`` of the learner's last ``limit`` attempts, for
    the dashboard: one written-out query, with what the dashboard shows of each attempt
    and its quiz (its title, date, grade and whether it passed)."""
    statement, quiz_fields = _recent_results_sql(connection.vendor)
    rows = sql.fetch(statement, [user.pk, Attempt.State.FINISHED.value, limit])
    width = len(_RECENT_ATTEMPT)
    attempts = sql.instances(Attempt, _RECENT_ATTEMPT, [row[:width] for row in rows])
    quizzes = sql.instances(Quiz, quiz_fields, [row[width:] for row in rows])
    for attempt, quiz in zip(attempts, quizzes, strict=True):
        attempt.quiz = quiz
    return [(attempt, result_view(attempt=attempt, now=now)) for attempt in attempts]


def category_success(*, user, quiz: Quiz | None = None) -> list[tuple[Category, Decimal, int]]:
    """Share of marks earned per question category over finished attempts.

    Only attempts whose per-question marks the learner may already see count, so this
    list cannot reveal what the review options still hide.
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
            visible[answer.attempt_id] = result_view(attempt=answer.attempt).marks
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


def right_answer_text(question: Question) -> str:
    """The right answer in words (``question`` with its choices and accepted answers)."""
    if question.type == Question.Type.TRUE_FALSE:
        return _("True") if question.correct_bool else _("False")
    if question.type in {Question.Type.SINGLE, Question.Type.MULTIPLE}:
        return "; ".join(c.text for c in question.choices.all() if c.fraction > 0)
    if question.type in {Question.Type.SHORT, Question.Type.NUMERIC}:
        # A pattern with wildcards is a marking rule, not an answer to show.
        answers = [a for a in question.accepted_answers.all() if "*" not in a.text]
        best = max(answers, key=lambda a: a.fraction, default=None)
        return best.text if best else ""
    return ""


def given_answer_text(question: Question, response: dict) -> str:
    """The learner's answer in words."""
    choices = {c.pk: c.text for c in question.choices.all()}
    if question.type == Question.Type.SINGLE:
        return choices.get(response.get("choice"), "")
    if question.type == Question.Type.MULTIPLE:
        return "; ".join(choices.get(pk, "") for pk in response.get("choices") or [])
    if question.type == Question.Type.TRUE_FALSE:
        if "value" not in response:
            return ""
        return _("True") if response["value"] else _("False")
    return response.get("text", "")


def review_items(*, attempt: Attempt, view: ResultView) -> list[dict]:
    """The questions of a finished attempt with what ``view`` lets the learner see.

    Each question is shown as it was answered: in the language it was shown in then
    (``Answer.language``), whatever the language of the page; ``lang`` names it when it
    is not the page's.
    """
    questions = Question.objects.prefetch_related("choices", "accepted_answers").in_bulk(
        attempt.question_ids
    )
    answers = {a.question_id: a for a in attempt.answers.all()}
    page = i18n.current()
    items = []
    for entry in attempt.layout:
        question = questions[entry["question"]]
        answer = answers.get(question.pk)
        response = answer.response if answer else {}
        language = (answer.language if answer else "") or attempt.language or page
        with translation.override(language):
            items.append(_review_item(view, entry, question, answer, response))
        items[-1]["lang"] = "" if language == page else language
    return items


def _review_item(
    view: ResultView, entry: dict, question: Question, answer: Answer | None, response: dict
) -> dict:
    # Every text is read here, in the language the caller made active.
    return {
        "question": question,
        "text": question.text,
        "given": given_answer_text(question, response) if view.answers else None,
        "right": right_answer_text(question) if view.correct else None,
        "mark": answer.mark if (view.marks and answer) else None,
        "max_mark": entry["mark"] if view.marks else None,
        "feedback": grading.feedback_for(question, response, answer.fraction if answer else None)
        if view.feedback
        else [],
        "comment": answer.comment if (view.feedback and answer) else "",
        "explanation": question.explanation if view.feedback else "",
    }


def checked_feedback(*, quiz: Quiz, answer: Answer | None, question: Question) -> dict | None:
    """What a learner sees after checking one answer ("feedback after each question"):
    whether it is right, the right answer and the feedback, as far as the quiz's
    review options show each. None for an answer that was not checked."""
    if answer is None or answer.checked_at is None:
        return None
    question = Question.objects.prefetch_related("choices", "accepted_answers").get(pk=question.pk)
    fraction = grading.grade(question, answer.response)
    return {
        "fraction": fraction if quiz.review_marks else None,
        "right": right_answer_text(question) if quiz.review_correct else "",
        "texts": grading.feedback_for(question, answer.response, fraction)
        if quiz.review_feedback
        else [],
        "explanation": question.explanation if quiz.review_feedback else "",
    }


# Whose results staff may read ------------------------------------------------------


def reads_all_results(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("quizzes.view_all_results"))


def _scope(user) -> Q | None:
    """The hosting app's filter of the attempts ``user`` may read (None: none)."""
    path = getattr(settings, "QUIZZES_RESULTS_SCOPE", "")
    return import_string(path)(user) if path else None


def may_read_results(user) -> bool:
    """Does the results menu have anything for this person?"""
    if not (user.is_authenticated and user.has_perm("quizzes.view_attempt")):
        return False
    return reads_all_results(user) or _scope(user) is not None


def attempts_visible_to(user) -> QuerySet[Attempt]:
    """Attempts of learners this member of staff may read: results, exports, marking."""
    attempts = Attempt.objects.all()
    if not (user.is_authenticated and user.has_perm("quizzes.view_attempt")):
        return attempts.none()
    if reads_all_results(user):
        return attempts
    scope = _scope(user)
    return attempts.filter(scope) if scope is not None else attempts.none()


# Taking a quiz --------------------------------------------------------------------


# The quizzes by id, kept in each process under the page generation (saving or
# deleting a quiz bumps it: quizzes.receivers).
_quizzes = GenerationMemo(size=1024)


def quiz_by_id(*, quiz_id: int, generation: int | None = None) -> Quiz | None:
    """The quiz (None if it is gone), from the process's memo, a copy for each caller;
    who may take it is not checked here. ``generation``: the request's, under which the
    process keeps the quiz."""
    quiz = _quizzes.get(
        quiz_id,
        lambda: Quiz.objects.filter(pk=quiz_id).order_by().first(),  # not by title
        generation=current_generation() if generation is None else generation,
    )
    return None if quiz is None else copy.copy(quiz)


def quiz_to_take(*, quiz_id: int, user, generation: int | None = None) -> Quiz | None:
    """The quiz, if the user may take it (``quizzes.access``); None for anyone else."""
    quiz = quiz_by_id(quiz_id=quiz_id, generation=generation)
    return quiz if quiz is not None and access.can_take(user, quiz) else None


def learner_attempts(*, quiz: Quiz, user) -> list[Attempt]:
    """The learner's attempts at the quiz, in the order they were started."""
    return list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number"))


@dataclass(frozen=True)
class QuestionInAttempt:
    """One question as the attempt drew it, with the learner's saved answer if read."""

    entry: dict  # the attempt's layout entry: question id, choice order, mark
    question: Question
    saved: Answer | None
    check_mode: bool  # the quiz checks single answers ("feedback after each question")
    choices: dict[int, Choice] | None = None  # the question's choices by id, if read

    @property
    def locked(self) -> bool:
        return bool(self.saved and self.saved.checked_at)


def question_fields_to_save() -> list[str]:
    """What saving an answer reads of its question: the form's shape and the languages
    its text is written in (the answer records the one it was shown in)."""
    return ["id", "type", "rating_max", "rating_points", *i18n.columns("text")]


# The questions as a save reads them, with their choices, kept in each process under
# the page generation: a thousand learners answering the same twenty questions read
# them once. Saving or deleting a question, a choice or an accepted answer bumps the
# generation (quizzes.receivers).
_questions_to_save = GenerationMemo(size=4096)


@dataclass(frozen=True)
class QuestionToSave:
    question: Question  # only ``question_fields_to_save``; a copy for each caller
    choices: dict[int, Choice]  # all the question's choices by id; shared: read only


def question_to_save(*, question_id: int, generation: int | None = None) -> QuestionToSave | None:
    """The question a save reads (None if it is gone) and its choices, from the
    process's memo; ``generation``: the request's (read here if not given)."""

    def build() -> QuestionToSave | None:
        questions = Question.objects.only(*question_fields_to_save()).order_by()
        question = questions.filter(pk=question_id).first()  # by its key: no join to order
        if question is None:
            return None
        choices = {}
        if question.has_choices:  # the others' forms need none: no query
            choices = Choice.objects.filter(question_id=question_id).in_bulk()
        return QuestionToSave(question=question, choices=choices)

    if generation is None:
        generation = current_generation()
    found = _questions_to_save.get(question_id, build, generation=generation)
    if found is None:
        return None
    return QuestionToSave(question=copy.copy(found.question), choices=found.choices)


def question_in_attempt(
    *,
    attempt: Attempt,
    position: int,
    read_saved: bool,
    for_save: bool = False,
    generation: int | None = None,
) -> QuestionInAttempt | None:
    """The question at ``position`` of the attempt (None if there is none).

    The saved answer is read when asked for, and always where answers can be checked
    (and so locked): a locked answer must not be overwritten. ``for_save``: only what a
    save reads (``question_to_save``, its choices in ``choices``), else all of it.
    """
    if not 0 <= position < len(attempt.layout):
        return None
    entry = attempt.layout[position]
    choices = None
    if for_save:
        found = question_to_save(question_id=entry["question"], generation=generation)
        if found is None:
            return None
        question, choices = found.question, found.choices
    else:
        try:
            question = Question.objects.get(pk=entry["question"])
        except Question.DoesNotExist:
            return None
    check_mode = feedback_after_each_question(quiz=attempt.quiz)
    saved = None
    if read_saved or check_mode:
        saved = Answer.objects.filter(attempt=attempt, question=question).first()
    return QuestionInAttempt(
        entry=entry, question=question, saved=saved, check_mode=check_mode, choices=choices
    )


# What a start draws from, kept in each process under the page generation: a quiz's
# slots, and each question's type, default mark, shuffle option and choice ids. A
# thousand learners starting the same test at once read them once. Saving or deleting a
# quiz, a slot, a category, a question or a choice bumps it (quizzes.receivers).
_draw_inputs = GenerationMemo(size=8192)


@dataclass(frozen=True)
class QuestionShape:
    """What an attempt's layout takes from a question."""

    type: str
    default_mark: Decimal
    shuffle_choices: bool
    choice_ids: tuple[int, ...]


def quiz_slots(*, quiz: Quiz, generation: int | None = None) -> tuple[QuizSlot, ...]:
    """The quiz's slots in their order, each random one with its category. Shared by
    the process's requests: read only."""
    return _draw_inputs.get(
        ("slots", quiz.pk),
        lambda: tuple(QuizSlot.objects.filter(quiz=quiz).select_related("random_category")),
        generation=current_generation() if generation is None else generation,
    )


def question_shapes(
    *, question_ids: list[int], generation: int | None = None
) -> dict[int, QuestionShape]:
    """The shapes of these questions (those that exist) by id: the ones the process
    does not know yet read in two queries, whatever their number."""
    if generation is None:
        generation = current_generation()
    shapes, missing = {}, []
    for pk in question_ids:
        shape = _draw_inputs.peek(("shape", pk), generation=generation)
        if shape is None:
            missing.append(pk)
        else:
            shapes[pk] = shape
    if missing:
        rows = (
            Question.objects.filter(pk__in=missing)
            .order_by()
            .values_list("pk", "type", "default_mark", "shuffle_choices")
        )
        choice_ids: dict[int, list[int]] = {}
        for pk, question_id in Choice.objects.filter(question__in=missing).values_list(
            "pk", "question_id"
        ):
            choice_ids.setdefault(question_id, []).append(pk)
        for pk, kind, default_mark, shuffle in rows:
            shape = QuestionShape(kind, default_mark, shuffle, tuple(choice_ids.get(pk, ())))
            _draw_inputs.put(("shape", pk), shape, generation=generation)
            shapes[pk] = shape
    return shapes


def attempt_summary_rows(*, attempt: Attempt) -> list[dict]:
    """Each question of the attempt in its order: its name and whether it is answered."""
    answered = {
        a.question_id: a.response
        for a in Answer.objects.filter(attempt=attempt).only("question_id", "response")
    }
    names = dict(Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "name"))
    return [
        {
            "position": i,
            "name": names.get(e["question"], ""),
            "answered": bool(answered.get(e["question"])),
        }
        for i, e in enumerate(attempt.layout)
    ]


@dataclass(frozen=True)
class OfflineQuestion:
    """A question of the one-page form for answering offline."""

    position: int
    entry: dict  # the attempt's layout entry: question id, choice order, mark
    question: Question
    saved: Answer | None


def offline_questions(*, attempt: Attempt) -> tuple[list[OfflineQuestion], dict[int, Choice]]:
    """Every question of the attempt in its order, with the saved answers and the
    choices by id: three queries whatever the number of questions. The page shows only
    the texts the one-question page shows: no key, no feedback."""
    ids = attempt.question_ids
    questions = Question.objects.in_bulk(ids)
    saved = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    choice_ids = [pk for entry in attempt.layout for pk in entry["choices"]]
    choices = Choice.objects.in_bulk(choice_ids)
    rows = [
        OfflineQuestion(
            position=position,
            entry=entry,
            question=questions[entry["question"]],
            saved=saved.get(entry["question"]),
        )
        for position, entry in enumerate(attempt.layout)
        if entry["question"] in questions
    ]
    return rows, choices
