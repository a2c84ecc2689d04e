"""Attempts: start, save answers as given, submit once, grade, mark essays, close overdue.

Views, admin actions, the management command and the periodic task all call these.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import bleach
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from lms import sql
from notifications.services import Message, notify
from quizzes import grading, history, i18n, selectors
from quizzes.forms import answer_form_class, response_from_form
from quizzes.models import (
    Answer,
    Attempt,
    Category,
    Choice,
    Question,
    Quiz,
    SyncedAnswer,
)
from quizzes.signals import attempt_released

# The notification event of essay marking (registered in wagtail_hooks.py).
ESSAY_MARKED = "essay_marked"

ESSAY_TAGS = ["p", "br", "b", "strong", "i", "em", "ul", "ol", "li"]
ESSAY_MAX_CHARS = 20_000
TWO_PLACES = Decimal("0.01")


class QuizError(Exception):
    """Something the quiz rules refuse; views decide how the learner is told."""


class QuizUnavailable(QuizError):
    """The quiz is not published: for learners it is not there."""


class AttemptNotFound(QuizError):
    """No such attempt of this learner, or no such question in it."""


class AttemptClosed(QuizError):
    """The attempt is finished or past its deadline: no more answers."""


class AnswerLocked(QuizError):
    """The learner checked this answer and saw the right one: it cannot change."""


def clean_essay(text: str) -> str:
    """Essay text as stored and shown: a few harmless tags, everything else escaped."""
    return bleach.clean(str(text)[:ESSAY_MAX_CHARS], tags=ESSAY_TAGS, attributes={}, strip=True)


# Starting -------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawnQuestion:
    question_id: int
    slot_mark: Decimal | None
    category: Category | None  # the category of a random slot; None for a fixed one


def draw_questions(
    *, quiz: Quiz, rng: random.Random, generation: int | None = None
) -> list[DrawnQuestion]:
    """The questions of a new attempt (or a preview) with their slot marks.

    Slot order, then the quiz's cap and shuffle. The slots come from the process's memo
    (``selectors.quiz_slots``, under ``generation``). A random slot reads only the ids
    of its category's questions, so the cost does not grow with the size of the bank
    beyond one light query (not kept: an import adds questions without a signal).
    """
    drawn: list[DrawnQuestion] = []
    taken: set[int] = set()
    for slot in selectors.quiz_slots(quiz=quiz, generation=generation):
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


def _layout(
    drawn: list[DrawnQuestion], rng: random.Random, generation: int | None = None
) -> tuple[list[dict], Decimal]:
    # Only what the layout needs of each question, from the process's memo.
    shapes = selectors.question_shapes(
        question_ids=[d.question_id for d in drawn], generation=generation
    )
    layout, total = [], Decimal("0")
    for entry in drawn:
        pk = entry.question_id
        shape = shapes[pk]
        mark = entry.slot_mark if entry.slot_mark is not None else shape.default_mark
        if shape.type == Question.Type.RATING:
            mark = Decimal("0")
        choices = list(shape.choice_ids)
        if shape.shuffle_choices:
            rng.shuffle(choices)
        layout.append({"question": pk, "mark": str(mark), "choices": choices})
        total += mark
    return layout, total


def _attempts_started(*, quiz: Quiz, user) -> int:
    """How many attempts the learner has ever started: attempts are numbered 1, 2, …
    as they start and never deleted, so the highest number is the count."""
    return Attempt.objects.filter(quiz=quiz, user=user).aggregate(n=Max("number"))["n"] or 0


def attempts_left(*, quiz: Quiz, user) -> int | None:
    """How many more attempts the learner may start (None: unlimited)."""
    if not quiz.attempts_allowed:
        return None
    return max(0, quiz.attempts_allowed - _attempts_started(quiz=quiz, user=user))


def may_start_attempt(*, quiz: Quiz, user, now: datetime | None = None) -> bool:
    """May the learner start a new attempt now (the quiz open, attempts left)? What
    ``attempt_start`` allows; the pages offering "start" and "try again" ask this."""
    return quiz.published and quiz.is_open(now) and attempts_left(quiz=quiz, user=user) != 0


def attempt_start(
    *,
    quiz: Quiz,
    user,
    language: str | None = None,
    now: datetime | None = None,
    generation: int | None = None,
) -> Attempt:
    """Start an attempt, or return the one in progress (so reopening resumes it).

    Every attempt ever started counts against the attempts allowed, whatever the
    grading method later reads. ``language``: the page's (the active language if not
    given), recorded on the attempt. ``generation``: the request's page generation,
    under which the quiz's slots and questions' shapes are kept in the process.
    """
    now = now or timezone.now()
    # One query: how many were started, and which one is in progress (if any).
    found = Attempt.objects.filter(quiz=quiz, user=user).aggregate(
        started=Max("number"), open=Max("pk", filter=Q(state=Attempt.State.IN_PROGRESS))
    )
    started = found["started"] or 0
    if found["open"] is not None:
        current = Attempt.objects.get(pk=found["open"])
        if not (current.deadline and current.deadline <= now):
            return current
        attempt_submit(attempt=current, user=user, now=now)
    if not quiz.published:
        raise QuizUnavailable
    if not quiz.is_open(now):
        raise ValidationError(_("This quiz is not open now."), code="closed")
    if quiz.attempts_allowed and started >= quiz.attempts_allowed:
        raise ValidationError(_("You have used all your attempts."), code="no_attempts")
    rng = random.SystemRandom()
    drawn = draw_questions(quiz=quiz, rng=rng, generation=generation)
    layout, total = _layout(drawn, rng, generation)
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=started + 1,
                started_at=now,
                deadline=deadline,
                layout=layout,
                max_score=total,
                language=language or i18n.current(),
            )
    except IntegrityError:
        # A second click (or tab) started it at the same moment: use that one.
        return Attempt.objects.get(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS)


# Answering ------------------------------------------------------------------------


def own_attempt(*, attempt_id: int, user) -> Attempt:
    """The learner's own attempt (never another learner's); ``AttemptNotFound`` else."""
    attempt = Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise AttemptNotFound
    return attempt


# The statements of a save (the attempt's row locked, the answer's upsert, the learner's
# place) are written out once per process rather than compiled by the ORM on every
# request (lms.sql): a thousand learners save at once in a final test, and the
# compiling cost three times the Python of the rest of the save. The same SQL runs on
# PostgreSQL and SQLite (3.24+ for the upsert), fields converting their own values.

_ATTEMPT_READ = ("id", "quiz", "user", "state", "deadline", "layout")


@functools.cache
def _locked_attempt_sql(vendor: str) -> str:
    """The learner's attempt with what a save reads of it, its row locked."""
    statement = (
        f"SELECT {sql.columns(Attempt, _ATTEMPT_READ)} FROM {sql.table(Attempt)} "  # noqa: S608
        f"WHERE {sql.column(Attempt, 'id')} = %s AND {sql.column(Attempt, 'user')} = %s"
    )
    if connection.features.has_select_for_update:
        statement += " FOR UPDATE"
    return statement


def _own_attempt_locked(*, attempt_id: int, user, generation: int | None = None) -> Attempt:
    """The learner's own attempt with what an answer's save reads, its row locked until
    the transaction ends: a submit waits for the save, and a save for a submit.
    ``AttemptNotFound`` for anyone else's. Its quiz comes from the process's memo
    (``selectors.quiz_by_id``) under ``generation``, the request's."""
    rows = sql.fetch(_locked_attempt_sql(connection.vendor), [attempt_id, user.pk])
    found = sql.instances(Attempt, _ATTEMPT_READ, rows)
    if not found:
        raise AttemptNotFound
    attempt = found[0]
    quiz = selectors.quiz_by_id(quiz_id=attempt.quiz_id, generation=generation)
    if quiz is not None:  # else (deleted a moment ago) it loads if ever asked for
        attempt.quiz = quiz
    return attempt


# The columns an answer's first save writes; a later save changes only the last three.
_ANSWER_INSERTED = (
    "attempt",
    "question",
    "max_mark",
    "comment",
    "response",
    "saved_at",
    "language",
)
_ANSWER_UPDATED = ("response", "saved_at", "language")


@functools.cache
def _answer_upsert_sql(vendor: str) -> str:
    """One statement whether it is the first save or a changed mind."""
    columns = ", ".join(sql.column(Answer, name) for name in _ANSWER_INSERTED)
    conflict = ", ".join(sql.column(Answer, name) for name in ("attempt", "question"))
    updates = ", ".join(
        f"{sql.column(Answer, name)} = EXCLUDED.{sql.column(Answer, name)}"
        for name in _ANSWER_UPDATED
    )
    return (
        f"INSERT INTO {sql.table(Answer)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(_ANSWER_INSERTED))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )


@functools.cache
def _answer_fields() -> list:
    return [Answer._meta.get_field(name) for name in _ANSWER_INSERTED]


def _answer_upsert(answer: Answer) -> None:
    values = [
        field.get_db_prep_save(getattr(answer, field.attname), connection)
        for field in _answer_fields()
    ]
    with connection.cursor() as cursor:
        cursor.execute(_answer_upsert_sql(connection.vendor), values)


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
    language: str | None = None,
) -> Answer:
    """Save one answer as given. Refused after the deadline or once finished.

    The answer names its attempt and question; both are checked against the
    learner's own attempt, so one cannot answer for another or for a question that
    was not drawn. It records the language the question was shown in on a page in
    ``language`` (the active language if not given): that one, or its fallback.
    """
    now = now or timezone.now()
    if attempt.user_id != user.pk:
        raise AttemptNotFound
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise AttemptClosed
    if attempt.deadline and now > attempt.deadline:
        attempt_submit(attempt=attempt, user=user, now=now)
        raise AttemptClosed
    entry = next((e for e in attempt.layout if e["question"] == question_id), None)
    if entry is None:
        raise AttemptNotFound
    if question is None or question.pk != question_id:
        question = Question.objects.get(pk=question_id)
    cleaned = _clean_response(question, entry, response)
    answer = _new_answer(attempt, question, entry, cleaned, now, language)
    if selectors.feedback_after_each_question(quiz=attempt.quiz):
        _save_unless_checked(answer)
    else:
        _answer_upsert(answer)  # one statement, first save or a changed mind
    return answer


def _new_answer(
    attempt: Attempt, question: Question, entry: dict, response: dict, now, language: str | None
) -> Answer:
    return Answer(
        attempt=attempt,
        question=question,
        response=response,
        saved_at=now,
        max_mark=Decimal(entry["mark"]),
        language=i18n.shown_language(question, "text", language) or "",
    )


def _save_unless_checked(answer: Answer) -> None:
    """Save an answer the learner has not yet checked; a checked one is final."""
    unchecked = Answer.objects.filter(
        attempt=answer.attempt, question=answer.question, checked_at__isnull=True
    )
    if unchecked.update(
        response=answer.response, saved_at=answer.saved_at, language=answer.language
    ):
        return
    try:
        with transaction.atomic():
            answer.save(force_insert=True)
    except IntegrityError:
        # It exists, so it was checked (or checked a moment ago): it stays as it was.
        raise AnswerLocked from None


def answer_check(
    *,
    attempt: Attempt,
    user,
    question_id: int,
    response: dict,
    now: datetime | None = None,
    question: Question | None = None,
    language: str | None = None,
) -> Answer:
    """Save an answer and check it ("feedback after each question"), once.

    Checking shows the learner the right answer, so the checked answer is locked:
    later saves of that question are refused (``AnswerLocked``) and the grade is the
    grade of the answer as checked. Checking again returns the answer as it was
    checked. Returns the stored answer.
    """
    now = now or timezone.now()
    if not selectors.feedback_after_each_question(quiz=attempt.quiz):
        raise ValidationError(_("This quiz does not check single answers."), code="no_check")
    try:
        answer_save(
            attempt=attempt,
            user=user,
            question_id=question_id,
            response=response,
            now=now,
            question=question,
            language=language,
        )
    except AnswerLocked:
        pass  # checked before: it stays as it was checked
    # Whatever is stored now is what gets checked, and the feedback is worked out from
    # the stored answer, so the two can never disagree.
    Answer.objects.filter(attempt=attempt, question_id=question_id, checked_at__isnull=True).update(
        checked_at=now
    )
    return Answer.objects.get(attempt=attempt, question_id=question_id)


# Answers given offline -----------------------------------------------------------


@dataclass(frozen=True)
class SyncItem:
    """One answer a device kept while offline, as it sends it."""

    question_id: int
    revision: int  # 1, 2, … per question on that device
    fields: dict[str, list[str]]  # what the question's form posts (choice places, not ids)
    answered_at_client: datetime | None = None
    # When the answer stored on the server was saved, as this device last saw it
    # (None: it saw none). A later one was given elsewhere: the learner is told.
    based_on: datetime | None = None


@dataclass(frozen=True)
class SyncResult:
    """What became of one sent answer."""

    question_id: int
    revision: int
    # applied | duplicate | stale | refused | invalid | locked | unknown
    status: str
    outcome: str = ""  # for a duplicate: what became of it the first time
    replaced_other: bool = False
    saved_at: datetime | None = None
    errors: tuple[str, ...] = ()


def answers_sync(
    *,
    attempt: Attempt,
    user,
    device: str,
    items: list[SyncItem],
    now: datetime | None = None,
    language: str | None = None,
) -> list[SyncResult]:
    """Apply the answers a device kept while offline, in the order given, each once.

    The rules of ``answer_save`` hold for every answer: only the learner's own attempt,
    only questions it drew (else ``unknown``), only while it is open: an attempt that
    is over, or whose deadline has passed by the time the answers arrive (the server's
    clock decides, never the device's), refuses them (``refused``) and is submitted.
    Each (attempt, question, device, revision) is applied once: sent again, it is
    acknowledged as ``duplicate`` with its first outcome; a revision older than one
    already received from the device is ``stale`` and changes nothing. Between devices
    the last answer received wins; when it replaces a different answer given since the
    device last saw the question, the result says so (``replaced_other``).

    A few queries whatever the number of answers: the attempt, what the device sent
    before, the stored answers, the questions and choices, one upsert and one insert.
    """
    now = now or timezone.now()
    if attempt.user_id != user.pk:
        raise AttemptNotFound
    with transaction.atomic():
        # One sync of an attempt at a time: two devices' answers queue here.
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        is_open = attempt.state == Attempt.State.IN_PROGRESS
        if is_open and attempt.deadline and now > attempt.deadline:
            attempt_submit(attempt=attempt, user=user, now=now)
            is_open = False
        layout = {entry["question"]: entry for entry in attempt.layout}
        asked = {item.question_id for item in items if item.question_id in layout}
        seen = {
            (question, revision): outcome
            for question, revision, outcome in SyncedAnswer.objects.filter(
                attempt=attempt, device=device, question_id__in=asked
            ).values_list("question_id", "revision", "outcome")
        }
        latest: dict[int, int] = {}
        for question, revision in seen:
            latest[question] = max(latest.get(question, 0), revision)
        stored = {
            answer.question_id: answer
            for answer in Answer.objects.filter(attempt=attempt, question_id__in=asked).only(
                "question_id", "response", "saved_at", "checked_at"
            )
        }
        questions = Question.objects.in_bulk(asked) if is_open else {}
        choices = (
            Choice.objects.in_bulk([pk for q in asked for pk in layout[q]["choices"]])
            if is_open
            else {}
        )
        check_mode = selectors.feedback_after_each_question(quiz=attempt.quiz)
        results: list[SyncResult] = []
        log: list[SyncedAnswer] = []
        upserts: dict[int, Answer] = {}
        for item in items:
            pk, revision = item.question_id, item.revision
            if pk not in layout:
                results.append(SyncResult(pk, revision, "unknown"))
                continue
            if (pk, revision) in seen:
                saved = stored.get(pk)
                results.append(
                    SyncResult(
                        pk,
                        revision,
                        "duplicate",
                        outcome=seen[(pk, revision)],
                        saved_at=saved.saved_at if saved else None,
                    )
                )
                continue
            if revision <= latest.get(pk, 0):
                results.append(SyncResult(pk, revision, "stale"))
                continue
            latest[pk] = revision
            entry = SyncedAnswer(
                attempt=attempt,
                question_id=pk,
                device=device,
                revision=revision,
                answered_at_client=item.answered_at_client,
                received_at=now,
            )
            result = _sync_one(
                attempt=attempt,
                item=item,
                question=questions.get(pk),
                entry=layout[pk],
                choices=choices,
                stored=stored,
                is_open=is_open,
                check_mode=check_mode,
                now=now,
                language=language,
                upserts=upserts,
            )
            entry.outcome = seen[(pk, revision)] = result.status
            entry.replaced_other = result.replaced_other
            entry.response = stored[pk].response if result.status == "applied" else {}
            log.append(entry)
            results.append(result)
        if upserts:
            Answer.objects.bulk_create(
                list(upserts.values()),
                update_conflicts=True,
                unique_fields=["attempt", "question"],
                update_fields=["response", "saved_at", "language"],
            )
        SyncedAnswer.objects.bulk_create(log, ignore_conflicts=True)
    return results


def _sync_one(
    *,
    attempt: Attempt,
    item: SyncItem,
    question: Question | None,
    entry: dict,
    choices: dict[int, Choice],
    stored: dict[int, Answer],
    is_open: bool,
    check_mode: bool,
    now: datetime,
    language: str | None,
    upserts: dict[int, Answer],
) -> SyncResult:
    """One new revision of an answer: taken (into ``upserts`` and ``stored``) or not."""
    pk, revision = item.question_id, item.revision
    if not is_open or question is None:
        return SyncResult(pk, revision, SyncedAnswer.Outcome.REFUSED)
    # The same form as the one-question page: the same fields, the same checks.
    form_class = answer_form_class(question, entry["choices"], choices=choices)
    form = form_class(data=MultiValueDict(item.fields))
    if not form.is_valid():
        errors = tuple(str(e) for errs in form.errors.values() for e in errs)
        return SyncResult(pk, revision, SyncedAnswer.Outcome.INVALID, errors=errors)
    try:
        response = _clean_response(
            question, entry, response_from_form(question, form.cleaned_data, entry["choices"])
        )
    except ValidationError as error:
        return SyncResult(pk, revision, SyncedAnswer.Outcome.INVALID, errors=tuple(error.messages))
    before = stored.get(pk)
    if before is not None and before.checked_at:
        return SyncResult(pk, revision, SyncedAnswer.Outcome.LOCKED)
    replaced = bool(
        before is not None
        and pk not in upserts
        and before.response
        and before.response != response
        and (item.based_on is None or before.saved_at > item.based_on)
    )
    answer = _new_answer(attempt, question, entry, response, now, language)
    if check_mode:
        try:
            _save_unless_checked(answer)
        except AnswerLocked:
            return SyncResult(pk, revision, SyncedAnswer.Outcome.LOCKED)
    else:
        upserts[pk] = answer
    stored[pk] = answer
    return SyncResult(
        pk, revision, SyncedAnswer.Outcome.APPLIED, replaced_other=replaced, saved_at=now
    )


@dataclass(frozen=True)
class NextStep:
    """Where the learner goes after answering: a question, or (``None``) the summary."""

    position: int | None
    already_checked: bool = False  # the answer was checked meanwhile and kept as it was


def answer_submit(
    *,
    attempt: Attempt,
    user,
    question: Question,
    position: int,
    response: dict,
    go: str | None,
    locked: bool = False,
) -> NextStep:
    """Save the answer given on the question at ``position`` and move on as ``go`` asks.

    ``go`` is "previous", "next", "summary" or, where the quiz checks single answers,
    "check" (save, check, and stay to see the feedback). A ``locked`` answer (checked
    before) is not saved again. Raises ``AttemptClosed`` when time is up, or
    ``ValidationError`` for an answer that cannot be taken.
    """
    already_checked = False
    if not locked:
        check = go == "check" and selectors.feedback_after_each_question(quiz=attempt.quiz)
        save = answer_check if check else answer_save
        try:
            save(
                attempt=attempt,
                user=user,
                question_id=question.pk,
                response=response,
                question=question,
            )
        except AnswerLocked:  # checked a moment ago, in another tab
            already_checked = True
    return NextStep(
        position=attempt_move(attempt=attempt, position=position, go=go),
        already_checked=already_checked,
    )


@dataclass(frozen=True)
class AnswerPosted:
    """What became of the form a learner posted from a question's page."""

    step: NextStep | None = None  # saved (or kept as checked): where the learner goes
    finished: bool = False  # the attempt was finished before: nothing saved
    form: forms.Form | None = None  # refused: the form, bound, with its errors


def answer_post(
    *,
    attempt_id: int,
    user,
    position: int,
    data: QueryDict,
    go: str | None,
    generation: int | None = None,
) -> AnswerPosted:
    """The answer posted from the question at ``position`` of the learner's attempt,
    saved as given through that question's form, and where ``go`` leads.

    One transaction with the attempt's row locked, reading only what the save needs
    (the attempt, the saved answer where answers are checked; its quiz, the question
    and its choices come from the process's memo under ``generation``, the request's) and
    writing the answer and the learner's place, whatever the number of questions.
    Raises ``AttemptNotFound`` for another's attempt or a position it does not have,
    and ``AttemptClosed`` when time is up: the attempt is then submitted.
    """
    with transaction.atomic():
        attempt = _own_attempt_locked(attempt_id=attempt_id, user=user, generation=generation)
        if attempt.state == Attempt.State.FINISHED:
            return AnswerPosted(finished=True)
        shown = selectors.question_in_attempt(
            attempt=attempt,
            position=position,
            read_saved=False,
            for_save=True,
            generation=generation,
        )
        if shown is None:
            raise AttemptNotFound
        question, choices = shown.question, shown.entry["choices"]
        form_class = answer_form_class(
            question, choices, locked=shown.locked, choices=shown.choices
        )
        form = form_class(data)
        if not form.is_valid():
            return AnswerPosted(form=form)
        try:
            step = answer_submit(
                attempt=attempt,
                user=user,
                question=question,
                position=position,
                response=response_from_form(question, form.cleaned_data, choices),
                go=go,
                locked=shown.locked,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return AnswerPosted(form=form)
        except AttemptClosed:
            pass  # time is up: the submit it made is kept (the transaction commits)
        else:
            return AnswerPosted(step=step)
    raise AttemptClosed


def attempt_move(*, attempt: Attempt, position: int, go: str | None) -> int | None:
    """Record the question the learner goes to from ``position``; None for the summary."""
    if go == "summary":
        return None
    target = position
    if go == "previous":
        target = max(0, position - 1)
    elif go == "next":
        target = min(len(attempt.layout) - 1, position + 1)
    with connection.cursor() as cursor:  # written out: see _locked_attempt_sql
        cursor.execute(_place_update_sql(connection.vendor), [target, attempt.pk])
    return target


@functools.cache
def _place_update_sql(vendor: str) -> str:
    return (
        f"UPDATE {sql.table(Attempt)} "  # noqa: S608
        f"SET {sql.column(Attempt, 'current_position')} = %s WHERE {sql.column(Attempt, 'id')} = %s"
    )


def attempt_open_question(*, attempt: Attempt, position: int) -> None:
    """Remember the question the learner is on, so reopening the attempt comes back to it
    (a write only when the place changes)."""
    Attempt.objects.filter(pk=attempt.pk).exclude(current_position=position).update(
        current_position=position
    )


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
        question = questions[pk]
        answer = answers.get(pk) or Answer(
            attempt=attempt,
            question_id=pk,
            response={},
            # Not answered: counted in the language the attempt showed it in.
            language=i18n.shown_language(question, "text", attempt.language or None) or "",
        )
        answer.max_mark = mark
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
            raise AttemptNotFound
        if locked.state == Attempt.State.FINISHED:
            return locked
        locked.state = Attempt.State.FINISHED
        locked.finished_at = min(now, locked.deadline) if locked.deadline else now
        _grade_answers(locked)
        locked.save()
        history.record(attempt=locked, action="submit", actor=user)
        _release_if_visible(locked, now)
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
        _release_if_visible(attempt, timezone.now())
    return attempt


# Releasing results ------------------------------------------------------------------


def _release_if_visible(attempt: Attempt, now: datetime) -> None:
    """If the learner may see the attempt's outcome now, record it and tell the hosting
    app (after commit), which may then count the quiz as passed in a course.

    An outcome the learner may not see yet is never passed on: the course's progress
    and certificate would show it.
    """
    if not selectors.outcome_visible(attempt=attempt, now=now):
        return
    if attempt.released_at is None:
        attempt.released_at = now
        Attempt.objects.filter(pk=attempt.pk).update(released_at=now)
        if attempt.answers.filter(marked_by__isnull=False).exists():
            # Only now, with the outcome visible: never a mark before its release.
            transaction.on_commit(lambda: _notify_marked(attempt))
    transaction.on_commit(lambda: attempt_released.send(sender=Attempt, attempt=attempt))


def _notify_marked(attempt: Attempt) -> None:
    def message(user) -> Message:
        values = {"quiz": attempt.quiz.title}
        return Message(
            subject=_("Your answers in %(quiz)s have been marked") % values,
            body=_("A trainer has marked your written answers in %(quiz)s. Open the result.")
            % values,
            url=reverse("attempt_result", args=[attempt.pk]),
        )

    notify(
        event=ESSAY_MARKED,
        recipients=[attempt.user],
        target=f"attempt:{attempt.pk}",
        message=message,
    )


def release_due_results(*, now: datetime | None = None) -> int:
    """Pass on the outcomes that have become visible since they were graded: those of
    quizzes whose results wait for the quiz to close, once it has closed. Run every
    minute (``release_quiz_results``); running it again releases nothing twice."""
    now = now or timezone.now()
    released = 0
    for attempt in selectors.attempts_due_for_release(now=now).iterator():
        with transaction.atomic():
            _release_if_visible(attempt, now)
        released += 1
    return released


def close_overdue_attempts(*, now: datetime | None = None) -> int:
    """Finish every attempt whose deadline has passed, as of its deadline."""
    now = now or timezone.now()
    closed = 0
    overdue = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now)
    for attempt in overdue.select_related("user").iterator():
        attempt_submit(attempt=attempt, user=attempt.user, now=now)
        closed += 1
    return closed
