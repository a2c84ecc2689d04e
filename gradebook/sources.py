"""Where graded items come from: a registry of sources, one per app that grades.

A source gives, for a cohort, its items (``GradedItem``: key, title, kind, out of
what) and the learners' percentages in one or a few queries, whatever the number of
learners or items, and says which items' grades learners may see yet. Apps add theirs
with the ``register_gradebook_sources`` hook (a function returning a ``Source``).

Built in: tests, assignments and attendance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page

from assignments import selectors as assignment_selectors
from assignments.models import AssignmentPage
from courses.models import Cohort, QuizPage
from gradebook.models import ItemKind
from quizzes import selectors as quiz_selectors
from quizzes.models import Quiz
from schedule import selectors as schedule_selectors
from schedule.models import Session

Marks = dict[tuple[int, str], Decimal]  # (learner id, item key) → percent, 0–100


@dataclass
class GradedItem:
    key: str  # unique in the course: "<source prefix>:<its own key>"
    title: str
    kind: str  # an ItemKind value
    max: Decimal  # what the item is marked out of, as its source shows it
    # The module and the item whose cohort dates say when it is due (none: the cohort's end).
    module_key: UUID | None = None
    dated_key: UUID | None = None
    weight: Decimal = Decimal(1)  # set by the gradebook from the course's scheme

    @property
    def kind_label(self) -> str:
        return str(dict(ItemKind.choices).get(self.kind, self.kind))


class Source:
    """What a source gives the gradebook. Subclasses override the three methods."""

    def items(self, *, cohort: Cohort) -> list[GradedItem]:
        raise NotImplementedError

    def marks(self, *, cohort: Cohort, items: list[GradedItem], learner_ids) -> Marks:
        """Percentages of the learners (``learner_ids``: ids or a subquery), as staff
        see them."""
        raise NotImplementedError

    def released(self, *, items: list[GradedItem], now: datetime | None = None) -> set[str]:
        """The keys of ``items`` whose grades learners may see now."""
        return {item.key for item in items}


class TestsSource(Source):
    """Each graded test of the course (module tests and final exams), graded as the
    quiz's grading method says (``quizzes.selectors``); learners see a test's grades
    once the quiz releases them."""

    prefix = "test"

    def _pages(self, cohort: Cohort) -> list[QuizPage]:
        if not hasattr(cohort, "_gradebook_tests"):
            cohort._gradebook_tests = list(
                QuizPage.objects.descendant_of(cohort.course)
                .live()
                .filter(quiz__kind=Quiz.Kind.GRADED)
                .select_related("quiz")
                .order_by("path")
                .only("path", "title", "translation_key", "kind", "quiz")
            )
        return cohort._gradebook_tests

    def items(self, *, cohort: Cohort) -> list[GradedItem]:
        pages = self._pages(cohort)
        modules, titles = _modules_and_titles(pages)
        items = []
        for page in pages:
            item = GradedItem(
                key=f"{self.prefix}:{page.translation_key}",
                title=titles.get(page.translation_key, page.title),
                kind=page.kind,
                max=Decimal(100),
                module_key=modules.get(page.path[: -Page.steplen]),
                dated_key=page.translation_key,
            )
            item.quiz = page.quiz
            items.append(item)
        return items

    def marks(self, *, cohort: Cohort, items: list[GradedItem], learner_ids) -> Marks:
        mine = [item for item in items if item.key.startswith(f"{self.prefix}:")]
        if not mine:
            return {}
        grades = quiz_selectors.quiz_grades(quizzes=[item.quiz for item in mine], users=learner_ids)
        return {
            (user_id, item.key): grade
            for item in mine
            for (user_id, quiz_id), grade in grades.items()
            if quiz_id == item.quiz.pk
        }

    def released(self, *, items: list[GradedItem], now: datetime | None = None) -> set[str]:
        return {
            item.key
            for item in items
            if item.key.startswith(f"{self.prefix}:")
            and quiz_selectors.grades_released(quiz=item.quiz, now=now)
        }


class AttendanceSource(Source):
    """Attendance as one item, when the cohort has sessions: the share of the sessions
    held so far that the learner attended (``schedule.selectors``)."""

    key = "attendance"

    def items(self, *, cohort: Cohort) -> list[GradedItem]:
        if not Session.objects.filter(cohort=cohort).exists():
            return []
        return [
            GradedItem(
                key=self.key, title=str(_("Attendance")), kind=ItemKind.ATTENDANCE, max=Decimal(100)
            )
        ]

    def marks(self, *, cohort: Cohort, items: list[GradedItem], learner_ids) -> Marks:
        if not any(item.key == self.key for item in items):
            return {}
        enrolments = cohort.enrolments.filter(learner__in=learner_ids).only(
            "pk", "learner_id", "cohort_id"
        )
        len(enrolments)  # loaded once: attendance_shares and this both read them
        shares = schedule_selectors.attendance_shares(enrolments=enrolments)
        learners = {enrolment.pk: enrolment.learner_id for enrolment in enrolments}
        return {
            (learners[pk], self.key): Decimal(share.percent)
            for pk, share in shares.items()
            if share.percent is not None
        }


def _modules_and_titles(pages) -> tuple[dict[str, UUID], dict[UUID, str]]:
    """For item pages of one course: each one's module key (by the module's path), and
    each item's title in the active language's copy (one query)."""
    modules: dict[str, UUID] = {}
    titles: dict[UUID, str] = {}
    if pages:
        language = (get_language() or "")[:2]
        for path, key, title, code in Page.objects.filter(
            Q(path__in={page.path[: -Page.steplen] for page in pages})
            | Q(
                translation_key__in=[page.translation_key for page in pages],
                locale__language_code=language,
                live=True,
            )
        ).values_list("path", "translation_key", "title", "locale__language_code"):
            modules[path] = key
            if code == language:
                titles[key] = title
    return modules, titles


class AssignmentsSource(Source):
    """Each assignment of the course, as the latest marked version's share of its
    points (``assignments.selectors``). Only marked work has a mark, and a learner
    sees a mark as soon as it is given, so every item is released."""

    prefix = "assignment"

    def items(self, *, cohort: Cohort) -> list[GradedItem]:
        pages = list(AssignmentPage.objects.descendant_of(cohort.course).live().order_by("path"))
        modules, titles = _modules_and_titles(pages)
        return [
            GradedItem(
                key=f"{self.prefix}:{page.translation_key}",
                title=titles.get(page.translation_key, page.title),
                kind=ItemKind.ASSIGNMENT,
                max=Decimal(page.total_points),
                module_key=modules.get(page.path[: -Page.steplen]),
                dated_key=page.translation_key,
            )
            for page in pages
        ]

    def marks(self, *, cohort: Cohort, items: list[GradedItem], learner_ids) -> Marks:
        wanted = set(learner_ids) if isinstance(learner_ids, list | set | tuple) else None
        return {
            (learner_id, f"{self.prefix}:{key}"): mark
            for (learner_id, key), mark in assignment_selectors.cohort_marks(cohort=cohort).items()
            if wanted is None or learner_id in wanted
        }


def sources() -> list[Source]:
    """The built-in sources, then those the ``register_gradebook_sources`` hook adds."""
    return [
        TestsSource(),
        AssignmentsSource(),
        AttendanceSource(),
        *(fn() for fn in hooks.get_hooks("register_gradebook_sources")),
    ]
