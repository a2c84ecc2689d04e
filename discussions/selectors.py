"""Reads of the lesson Q&A: who may see a cohort's thread, and its questions."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from uuid import UUID

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from courses.models import Cohort, CoursePage, Enrolment, LessonPage
from courses.reports import cohorts_visible_to
from courses.selectors import VISIBLE_STATUSES, can_see_all_cohorts
from discussions.models import Answer, CourseQuestionRule, Question, Status
from lms import sql
from lms.models import User


@dataclass
class ThreadAccess:
    """What a person may do in one cohort's Q&A.

    Its trainers (and staff who see every cohort) read everything, post at once and
    moderate; its active and completed learners read and post. A withdrawn learner,
    like anyone else, gets nothing: they no longer open the lessons either.
    """

    cohort: Cohort
    is_trainer: bool
    user: object

    def questions(self) -> QuerySet[Question]:
        """The cohort's questions this person sees: trainers all, learners the visible
        ones and their own awaiting approval."""
        questions = Question.objects.filter(cohort=self.cohort)
        if self.is_trainer:
            return questions
        return questions.filter(
            Q(status=Status.VISIBLE) | Q(status=Status.PENDING, author=self.user)
        )

    def answers(self, question: Question) -> QuerySet[Answer]:
        answers = question.answers.select_related("author")
        if self.is_trainer:
            return answers
        return answers.filter(Q(status=Status.VISIBLE) | Q(status=Status.PENDING, author=self.user))


def thread_access(*, user, cohort: Cohort) -> ThreadAccess | None:
    """The user's access to a cohort's Q&A, or None (two queries at most)."""
    if not user.is_authenticated:
        return None
    if can_see_all_cohorts(user) or cohort.trainers.filter(pk=user.pk).exists():
        return ThreadAccess(cohort=cohort, is_trainer=True, user=user)
    enrolled = Enrolment.objects.filter(
        learner=user, cohort=cohort, status__in=VISIBLE_STATUSES
    ).exists()
    return ThreadAccess(cohort=cohort, is_trainer=False, user=user) if enrolled else None


def cohort_access(*, user, cohort_id: int) -> ThreadAccess | None:
    cohort = Cohort.objects.select_related("course").filter(pk=cohort_id).first()
    return thread_access(user=user, cohort=cohort) if cohort else None


def question_access(*, user, question_id: int) -> tuple[Question, ThreadAccess] | None:
    """A question with the viewer's access, or None if they may not see it."""
    question = (
        Question.objects.select_related("cohort__course", "author", "accepted_answer")
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        return None
    access = thread_access(user=user, cohort=question.cohort)
    if access is None or not access.questions().filter(pk=question.pk).exists():
        return None
    return question, access


def with_answer_counts(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Each question with ``answer_count`` (its visible answers), in one query."""
    return questions.select_related("author").annotate(
        answer_count=Count("answers", filter=Q(answers__status=Status.VISIBLE))
    )


def lesson_questions(*, access: ThreadAccess, item_key: UUID) -> QuerySet[Question]:
    """A lesson's questions the person sees, newest first. The order is spelled out:
    the answer count's GROUP BY makes Django drop the model's default ordering."""
    return with_answer_counts(access.questions().filter(item_key=item_key)).order_by(
        "-created_at", "-pk"
    )


# What a question's line shows (discussions/includes/question_line.html): the author's
# password hash and the rest of both rows are left out of every lesson page's query.
QUESTION_LINE_FIELDS = (
    "id",
    "title",
    "language",
    "status",
    "created_at",
    "accepted_answer_id",
    "author__full_name",
    "author__email",
)

# The latest questions' columns: the question's line, then its author's name. Each
# model's in the order of its fields, as ``Model.from_db`` takes them.
_LINE_QUESTION = [
    field
    for field in Question._meta.concrete_fields
    if field.name
    in {"id", "author", "title", "language", "status", "created_at", "accepted_answer"}
]
_LINE_AUTHOR = [
    field for field in User._meta.concrete_fields if field.name in {"email", "full_name"}
]
_LATEST_COLUMNS = [*_LINE_QUESTION, *_LINE_AUTHOR]
_QUESTION_ATTNAMES = [field.attname for field in _LINE_QUESTION]
_AUTHOR_ATTNAMES = ["id", *(field.attname for field in _LINE_AUTHOR)]
_QUESTIONS_END, _AUTHOR_END = len(_LINE_QUESTION), len(_LATEST_COLUMNS)


def latest_lesson_questions(*, access: ThreadAccess, item_key: UUID, count: int) -> list[Question]:
    """The latest ``count`` questions of a lesson the person sees, each with its answer
    count and ``total``, how many they see in all (one query).

    The rows and order of ``lesson_questions``, with ``QUESTION_LINE_FIELDS`` loaded.
    Written out: every learner's lesson page asks it, and the ORM took longer to build
    the statement (a window, a filtered count, a GROUP BY, the author's join) than the
    database to answer it.
    """
    params = [
        Status.VISIBLE.value,  # the answers counted
        Question._meta.get_field("cohort").get_db_prep_value(access.cohort.pk, connection),
        Question._meta.get_field("item_key").get_db_prep_value(item_key, connection),
    ]
    if not access.is_trainer:
        params += [Status.VISIBLE.value, Status.PENDING.value, access.user.pk]
    params.append(count)
    rows = sql.fetch(_latest_questions_sql(connection.vendor, access.is_trainer), params)
    db = connection.alias
    questions = []
    for values in sql.converted_rows(_LATEST_COLUMNS, rows):
        question = Question.from_db(db, _QUESTION_ATTNAMES, values[:_QUESTIONS_END])
        author = User.from_db(
            db, _AUTHOR_ATTNAMES, [question.author_id, *values[_QUESTIONS_END:_AUTHOR_END]]
        )
        question._state.fields_cache["author"] = author  # as select_related leaves it
        question.answer_count, question.total = values[_AUTHOR_END:]
        questions.append(question)
    return questions


@functools.cache
def _latest_questions_sql(vendor: str, is_trainer: bool) -> str:
    """The statement, once per database vendor and kind of access.

    The inner select picks the rows and counts them all (the window runs before the
    limit); the outer counts the visible answers of those few only, and orders again.
    """
    quote = connection.ops.quote_name
    column = sql.column
    aliases = [quote(f"c{index}") for index in range(len(_LATEST_COLUMNS))]
    picked = ", ".join(
        f"{'u' if field.model is User else 'q'}.{quote(field.column)} AS {alias}"
        for field, alias in zip(_LATEST_COLUMNS, aliases, strict=True)
    )
    where = f"q.{column(Question, 'cohort')} = %s AND q.{column(Question, 'item_key')} = %s"
    if not is_trainer:
        status, author = column(Question, "status"), column(Question, "author")
        where += f" AND (q.{status} = %s OR (q.{status} = %s AND q.{author} = %s))"
    names = [field.name for field in _LATEST_COLUMNS]
    created_at, pk = aliases[names.index("created_at")], aliases[names.index("id")]
    answers = sql.table(Answer)
    return (
        f"SELECT {', '.join(f'latest.{alias}' for alias in aliases)}, "  # noqa: S608
        f"(SELECT COUNT(*) FROM {answers} a "
        f"WHERE a.{column(Answer, 'question')} = latest.{pk} "
        f"AND a.{column(Answer, 'status')} = %s) AS answer_count, latest.total "
        f"FROM (SELECT {picked}, COUNT(*) OVER () AS total "
        f"FROM {sql.table(Question)} q "
        f"INNER JOIN {sql.table(User)} u "
        f"ON u.{column(User, 'id')} = q.{column(Question, 'author')} "
        f"WHERE {where} "
        f"ORDER BY q.{column(Question, 'created_at')} DESC, q.{column(Question, 'id')} DESC "
        f"LIMIT %s) latest "
        f"ORDER BY latest.{created_at} DESC, latest.{pk} DESC"
    )


def lesson_of_course(*, lesson_id: int, course: CoursePage) -> LessonPage | None:
    """A live lesson of the course (in any of its languages), or None."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        return None
    in_course = CoursePage.objects.ancestor_of(lesson).filter(
        translation_key=course.translation_key
    )
    return lesson if in_course.exists() else None


def lessons_by_key(keys) -> dict[UUID, LessonPage]:
    """The live lesson for each translation key, in the active language where it has
    one (one query)."""
    language = (get_language() or "").split("-")[0]
    found: dict[UUID, LessonPage] = {}
    lessons = LessonPage.objects.live().filter(translation_key__in=set(keys))
    for lesson in lessons.select_related("locale").only(
        "id", "title", "url_path", "translation_key", "locale__language_code"
    ):
        if lesson.translation_key not in found or lesson.locale.language_code == language:
            found[lesson.translation_key] = lesson
    return found


def premoderated(*, cohort: Cohort) -> bool:
    """Do the learners' posts in this cohort's course wait for a trainer?"""
    return CourseQuestionRule.objects.filter(
        course__translation_key=cohort.course.translation_key, premoderation=True
    ).exists()


def unanswered_questions(*, user) -> QuerySet[Question]:
    """Visible questions in the user's cohorts with no trainer's answer and no answer
    marked as the answer, oldest first."""
    trainer_answered = Answer.objects.filter(
        question=OuterRef("pk"), by_trainer=True, status=Status.VISIBLE
    )
    return with_answer_counts(
        Question.objects.filter(
            cohort__in=cohorts_visible_to(user),
            status=Status.VISIBLE,
            accepted_answer__isnull=True,
        )
        .exclude(Exists(trainer_answered))
        .select_related("cohort")
        .order_by("created_at", "pk")
    )


def pending_posts(*, user) -> tuple[QuerySet[Question], QuerySet[Answer]]:
    """The questions and answers awaiting approval in the user's cohorts."""
    cohorts = cohorts_visible_to(user)
    questions = (
        Question.objects.filter(cohort__in=cohorts, status=Status.PENDING)
        .select_related("author", "cohort")
        .order_by("created_at", "pk")
    )
    answers = (
        Answer.objects.filter(question__cohort__in=cohorts, status=Status.PENDING)
        .select_related("author", "question__cohort")
        .order_by("created_at", "pk")
    )
    return questions, answers


def trainer_cohorts_of(*, user, course: CoursePage, item_key: UUID) -> list[Cohort]:
    """The course's cohorts the user teaches (or all, for staff), each with
    ``question_count`` for the lesson (one query)."""
    return list(
        cohorts_visible_to(user)
        .filter(course__translation_key=course.translation_key)
        .annotate(question_count=Count("questions", filter=Q(questions__item_key=item_key)))
        .order_by("-starts_on", "name")
    )
