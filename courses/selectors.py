"""Reads: who may see what, course structure and learner progress.

Every function here makes a fixed number of queries, whatever the size of the course,
so pages stay as fast with a thousand lessons as with ten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from uuid import UUID

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from courses.models import (
    Cohort,
    CoursePage,
    Enrolment,
    ItemCompletion,
    QuizPage,
    learning_item_field,
    learning_item_q,
)
from lms.progress import Progress
from quizzes.selectors import released_grade

VISIBLE_STATUSES = [Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]


@dataclass
class Item:
    """A lesson or test as progress sees it (its page without the StreamField)."""

    key: UUID  # the translation key, shared by every language copy
    path: str
    title: str
    kind: str  # "lesson", "module_test" or "final_exam"
    required: bool
    done_at: datetime | None = None
    page: Page | None = None  # only where the item is linked to (a module's list)
    module_key: UUID | None = None  # set for untranslated items, listed under their module
    language: str = ""  # set for untranslated items: the language of the copy to read

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass
class ModuleProgress:
    page: Page  # enough of it for its title and URL
    items: list[Item] = field(default_factory=list)

    @property
    def key(self) -> UUID:
        return self.page.translation_key

    @property
    def required_items(self) -> list[Item]:
        return [item for item in self.items if item.required]

    @property
    def progress(self) -> Progress:
        return _progress(self.required_items)

    @property
    def percent(self) -> int:
        return self.progress.percent

    @property
    def state(self) -> str:
        done = sum(item.done for item in self.required_items)
        if self.required_items and done == len(self.required_items):
            return "done"
        return "in_progress" if done or any(i.done for i in self.items) else "not_started"


@dataclass
class CourseProgress:
    modules: list[ModuleProgress]
    completed_at: object = None

    @property
    def items(self) -> list[Item]:
        return [item for module in self.modules for item in module.items]

    @property
    def progress(self) -> Progress:
        return _progress([item for item in self.items if item.required])

    @property
    def percent(self) -> int:
        return self.progress.percent


def _progress(items: list[Item]) -> Progress:
    return Progress(done=sum(item.done for item in items), total=len(items))


def course_of(page: Page) -> CoursePage | None:
    """The course a module, lesson or test page belongs to (one query)."""
    return CoursePage.objects.ancestor_of(page).first()


def can_see_all_cohorts(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("courses.view_all_cohorts")
    )


def teaches(*, user, course: CoursePage) -> bool:
    """Is the user a trainer of this course, or of one of its cohorts?"""
    if not user.is_authenticated:
        return False
    key = course.translation_key
    return (
        CoursePage.objects.filter(translation_key=key, trainers=user).exists()
        or Cohort.objects.filter(course__translation_key=key, trainers=user).exists()
    )


def enrolment_for(*, user, course: CoursePage) -> Enrolment | None:
    """The learner's active or completed enrolment in a course (any language copy)."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(
            learner=user, course_key=course.translation_key, status__in=VISIBLE_STATUSES
        )
        .select_related("cohort")
        .first()
    )


def can_view_course_content(*, user, course: CoursePage) -> bool:
    return bool(
        can_see_all_cohorts(user)
        or enrolment_for(user=user, course=course)
        or teaches(user=user, course=course)
    )


ITEM_FIELDS = ("id", "path", "depth", "url_path", "title", "translation_key")


def _items(pages, *, with_pages: bool = False) -> list[Item]:
    """Lessons and tests among ``pages`` as Items, in tree order (one query).

    Plain rows by default: building a thousand page objects for a course page that
    only shows counts would cost more than the rest of the request.
    """
    rows = (
        pages.live()
        .filter(learning_item_q())
        .annotate(item_required=learning_item_field("required"), quiz_kind=F("quizpage__kind"))
        .order_by("path")
    )
    extra = ("item_required", "quiz_kind")
    if with_pages:
        records = [(page, page) for page in rows.only(*ITEM_FIELDS)]
    else:
        records = [(SimpleNamespace(**row), None) for row in rows.values(*ITEM_FIELDS, *extra)]
    return [
        Item(
            key=row.translation_key,
            path=row.path,
            title=row.title,
            kind=row.quiz_kind or "lesson",
            required=bool(row.item_required),
            page=page,
        )
        for row, page in records
    ]


def course_items(*, course: CoursePage) -> list[ModuleProgress]:
    """Modules of a course with their lessons and tests, in tree order (two queries)."""
    modules_by_path = {
        page.path: ModuleProgress(page=page)
        for page in Page.objects.child_of(course)
        .live()
        .order_by("path")
        .only("id", "path", "depth", "url_path", "title", "translation_key")
    }
    for item in _items(Page.objects.descendant_of(course).filter(depth=course.depth + 2)):
        module = modules_by_path.get(item.path[: -Page.steplen])
        if module is not None:  # else it sits under an unpublished module
            module.items.append(item)
    return list(modules_by_path.values())


def course_progress(*, enrolment: Enrolment, course: CoursePage) -> CourseProgress:
    """Where a learner stands in a course: per item, per module and overall (3 queries)."""
    modules = course_items(course=course)
    mark_done([item for module in modules for item in module.items], enrolment)
    return CourseProgress(modules=modules, completed_at=enrolment.completed_at)


def mark_done(items: list[Item], enrolment: Enrolment | None) -> None:
    """Set when each item was done by the learner (one query; none without enrolment)."""
    if enrolment is None:
        return
    done = dict(enrolment.completions.values_list("item_key", "completed_at"))
    for item in items:
        item.done_at = done.get(item.key)


def module_items(*, module: Page, enrolment: Enrolment | None) -> list[Item]:
    """The lessons and tests of one module, marked done for the learner."""
    items = _items(Page.objects.child_of(module), with_pages=True)
    mark_done(items, enrolment)
    return items


@dataclass
class LearningAccess:
    """Who is looking at a course page, worked out once per request by the page's serve."""

    course: CoursePage
    enrolment: Enrolment | None


def content_access(*, user, page: Page) -> LearningAccess | None:
    """The access of a signed-in user to a module, lesson or test page: None unless they
    are enrolled in its course, teach it, or may see every cohort."""
    course = course_of(page)
    if course is None:
        return None
    enrolment = enrolment_for(user=user, course=course)
    if not enrolment and not (can_see_all_cohorts(user) or teaches(user=user, course=course)):
        return None
    return LearningAccess(course=course, enrolment=enrolment)


def learning_access(*, request, page: Page) -> LearningAccess:
    """The access worked out by the page's serve, or (in an admin preview) worked out now."""
    access = getattr(request, "learning_access", None)
    if access is None:
        course = course_of(page)
        access = LearningAccess(
            course=course, enrolment=enrolment_for(user=request.user, course=course)
        )
        request.learning_access = access
    return access


def lesson_context(*, lesson: Page, access: LearningAccess) -> dict:
    """What a lesson or test page shows around its content: done?, where next."""
    enrolment = access.enrolment
    done = bool(
        enrolment and enrolment.completions.filter(item_key=lesson.translation_key).exists()
    )
    siblings = Page.objects.sibling_of(lesson).live().only("id", "title", "url_path", "path")
    return {
        "course": access.course,
        "enrolment": enrolment,
        "done": done,
        "module": lesson.get_parent(),
        "previous_item": siblings.filter(path__lt=lesson.path).order_by("-path").first(),
        "next_item": siblings.filter(path__gt=lesson.path).order_by("path").first(),
    }


def _course_items_query(course: CoursePage):
    return (
        Page.objects.descendant_of(course)
        .live()
        .filter(depth=course.depth + 2)
        .filter(learning_item_q())
    )


def untranslated_items(*, course: CoursePage, module: Page | None = None) -> list[Item]:
    """Lessons and tests live in another language's copy of ``course`` (or of ``module``)
    whose copy in this language is missing or not live (one query).

    Each is the copy to read instead, with ``page`` to link to: the one its translations
    are made from where there are several. Items whose module is not in this language
    are left out: learners reach them through the other language's course.
    """
    steplen = Page.steplen
    module_key = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, (course.depth + 1) * steplen)
    ).values("translation_key")[:1]
    here = Page.objects.descendant_of(course).live().filter(depth=course.depth + 2)
    if module is not None:
        here = here.child_of(module)
    rows = (
        Page.objects.live()
        .filter(learning_item_q(), depth=course.depth + 2)
        .exclude(locale_id=course.locale_id)
        .annotate(course_path=Substr("path", 1, course.depth * steplen))
        .filter(
            course_path__in=Page.objects.filter(translation_key=course.translation_key).values(
                "path"
            )
        )
        .exclude(translation_key__in=here.values("translation_key"))
        .annotate(
            module_key=Subquery(module_key),
            item_required=learning_item_field("required"),
            quiz_kind=F("quizpage__kind"),
            language=F("locale__language_code"),
            is_source=Exists(
                TranslationSource.objects.filter(
                    object_id=OuterRef("translation_key"), locale_id=OuterRef("locale_id")
                )
            ),
        )
        .order_by("-is_source", "pk")
        .only(*ITEM_FIELDS)
    )
    modules_here = Page.objects.child_of(course).live().values("translation_key")
    if module is not None:
        rows = rows.filter(module_key=module.translation_key)
    else:
        rows = rows.filter(module_key__in=modules_here)
    chosen: dict[UUID, Item] = {}
    for page in rows:
        if page.translation_key not in chosen:
            chosen[page.translation_key] = Item(
                key=page.translation_key,
                path=page.path,
                title=page.title,
                kind=page.quiz_kind or "lesson",
                required=bool(page.item_required),
                page=page,
                module_key=page.module_key,
                language=page.language,
            )
    return sorted(chosen.values(), key=lambda item: item.path)


@dataclass
class ModuleSummary:
    page: Page
    item_count: int = 0
    required: int = 0
    done: int = 0
    new: int = 0  # required items published after the course was completed, not done
    untranslated: list[Item] = field(default_factory=list)

    @property
    def progress(self) -> Progress:
        return Progress(done=self.done, total=self.required - self.new)

    @property
    def percent(self) -> int:
        return self.progress.percent


@dataclass
class CourseSummary:
    """A course's progress for one learner.

    The rule for a completed course: the completion stays (it was recorded, and a
    certificate may rest on it); what a trainer adds later is counted apart as ``new``,
    not as work left undone, so a completed course reads 100 % and "N new", never
    "completed" beside 97 %.
    """

    modules: list[ModuleSummary]
    completed_at: datetime | None = None

    @property
    def new(self) -> int:
        return sum(m.new for m in self.modules)

    @property
    def progress(self) -> Progress:
        return Progress(
            done=sum(m.done for m in self.modules),
            total=sum(m.required - m.new for m in self.modules),
        )

    @property
    def percent(self) -> int:
        return self.progress.percent


def course_summary(*, course: CoursePage, enrolment: Enrolment | None = None) -> CourseSummary:
    """Per-module counts of items, required items and items done (two queries).

    Counting is left to the database: a course page never builds a thousand rows.
    """
    modules = {
        page.path: ModuleSummary(page=page)
        for page in Page.objects.child_of(course)
        .live()
        .order_by("path")
        .only("id", "path", "depth", "url_path", "title", "translation_key")
    }
    counts = {"items": Count("id"), "required": Count("id", filter=learning_item_q(required=True))}
    if enrolment is not None:
        done = Q(translation_key__in=enrolment.completions.values("item_key"))
        counts["done"] = Count("id", filter=learning_item_q(required=True) & done)
        if enrolment.completed_at is not None:
            counts["new"] = Count(
                "id", filter=learning_item_q(required=True) & ~done & _added_after(enrolment)
            )
    rows = (
        _course_items_query(course)
        .annotate(module_path=Substr("path", 1, (course.depth + 1) * Page.steplen))
        .order_by()
        .values("module_path")
        .annotate(**counts)
    )
    for row in rows:
        module = modules.get(row["module_path"])
        if module is not None:
            module.item_count, module.required = row["items"], row["required"]
            module.done, module.new = row.get("done", 0), row.get("new", 0)
    return CourseSummary(
        modules=list(modules.values()),
        completed_at=enrolment.completed_at if enrolment else None,
    )


def _added_after(enrolment: Enrolment) -> Q:
    """Items first published after the learner completed the course."""
    return Q(first_published_at__gt=enrolment.completed_at)


def continue_url(*, enrolment: Enrolment, course: CoursePage, request) -> str | None:
    """Where "continue" leads: the last item opened if not done, else the first to do.

    In a completed course: the first required item added since (see ``CourseSummary``),
    or nowhere.
    """
    remaining = _course_items_query(course).exclude(
        translation_key__in=enrolment.completions.values("item_key")
    )
    target = enrolment.last_item_key
    if enrolment.completed_at is not None:
        target = (
            remaining.filter(learning_item_q(required=True) & _added_after(enrolment))
            .order_by("path")
            .values_list("translation_key", flat=True)
            .first()
        )
    elif target is None or enrolment.completions.filter(item_key=target).exists():
        target = (
            remaining.order_by(
                Case(When(learning_item_q(required=True), then=0), default=1), "path"
            )
            .values_list("translation_key", flat=True)
            .first()
        )
    if target is None:
        return None
    page = (
        Page.objects.filter(translation_key=target, live=True)
        .order_by(
            # the page in the active language first, then any other copy
            Case(When(locale__language_code=get_language(), then=0), default=1)
        )
        .first()
    )
    return page.get_url(request) if page else None


def final_exam_grade(*, course: CoursePage, learner) -> Decimal | None:
    """The learner's grade in the course's final exam, as far as the learner may see it
    (the certificate records it; a grade the quiz still hides is not recorded)."""
    exams = (
        QuizPage.objects.descendant_of(course)
        .filter(kind=QuizPage.Kind.FINAL_EXAM, quiz__isnull=False)
        .select_related("quiz")
    )
    grades = (released_grade(quiz=page.quiz, user=learner) for page in exams)
    return next((grade for grade in grades if grade is not None), None)


# Reminders: who is told what by the scheduler's jobs -----------------------------------


@dataclass
class CohortLearners:
    """A cohort with its active learners (to be told something about it)."""

    cohort: Cohort
    learners: list = field(default_factory=list)


def active_learners(cohort_ids) -> dict[int, list]:
    """The active learners (active accounts, active enrolments) of each cohort, by
    cohort id (one query, however many cohorts or learners)."""
    learners: dict[int, list] = {pk: [] for pk in cohort_ids}
    for enrolment in (
        Enrolment.objects.filter(
            cohort_id__in=list(learners),
            status=Enrolment.Status.ACTIVE,
            learner__is_active=True,
        )
        .select_related("learner")
        .order_by("pk")
    ):
        learners[enrolment.cohort_id].append(enrolment.learner)
    return learners


def cohorts_starting_on(*, day: date) -> list[CohortLearners]:
    """The cohorts whose first day is ``day`` (Asia/Almaty), each with its active
    learners (two queries)."""
    cohorts = list(Cohort.objects.filter(starts_on=day).select_related("course").order_by("pk"))
    learners = active_learners([cohort.pk for cohort in cohorts])
    return [CohortLearners(cohort=cohort, learners=learners[cohort.pk]) for cohort in cohorts]


def falling_behind(
    *,
    cohorts: QuerySet[Cohort] | None = None,
    now: datetime | None = None,
    days: int | None = None,
) -> QuerySet[Enrolment]:
    """Active enrolments in running cohorts whose learner has done nothing for ``days``
    (``FALLING_BEHIND_DAYS``) while another learner of the cohort has moved on.

    Nothing means no item opened (``last_activity_at``, else since enrolment) and none
    completed in that time; moving on means opening or completing an item in it. A
    cohort where everybody is idle has no one behind: the pause is the cohort's, not
    the learner's. Cohorts that started less than ``days`` ago are left alone. One
    query, whatever the size of the cohorts.
    """
    now = now or timezone.now()
    days = settings.FALLING_BEHIND_DAYS if days is None else days
    since = now - timedelta(days=days)
    today = timezone.localdate(now)
    completed_since = ItemCompletion.objects.filter(
        enrolment=OuterRef("pk"), completed_at__gte=since
    )
    # Cohorts where someone moved on. The learners behind are idle by definition, so
    # whoever moved is another learner; the cohorts are found once, not per learner.
    moving = (
        Enrolment.objects.filter(status__in=VISIBLE_STATUSES)
        .filter(Q(last_activity_at__gte=since) | Exists(completed_since))
        .values("cohort_id")
    )
    enrolments = Enrolment.objects.filter(
        status=Enrolment.Status.ACTIVE,
        learner__is_active=True,
        cohort__starts_on__lte=timezone.localdate(since),
        cohort__ends_on__gte=today,
    )
    if cohorts is not None:
        enrolments = enrolments.filter(cohort__in=cohorts)
    return (
        enrolments.annotate(seen_at=Coalesce("last_activity_at", "enrolled_at"))
        .filter(seen_at__lt=since)
        .exclude(Exists(completed_since))
        .filter(cohort_id__in=moving)
        .select_related("learner", "cohort__course")
        .order_by("cohort_id", "pk")
    )


def course_titles(keys) -> dict[tuple[UUID, str], str]:
    """The title of each course (by translation key) in each language it has a live
    copy in: {(key, language code): title} (one query)."""
    return {
        (key, language): title
        for key, language, title in CoursePage.objects.filter(translation_key__in=list(keys))
        .live()
        .values_list("translation_key", "locale__language_code", "title")
    }


def title_in(titles: dict[tuple[UUID, str], str], course: CoursePage) -> str:
    """The course's title in the active language, else the copy's own."""
    return titles.get((course.translation_key, get_language() or ""), course.title)
