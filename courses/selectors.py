"""Reads: who may see what, course structure and learner progress.

Every function here makes a fixed number of queries, whatever the size of the course,
so pages stay as fast with a thousand lessons as with ten.
"""

from __future__ import annotations

import copy
import functools
import gzip
import json
import math
import operator
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import reduce
from types import SimpleNamespace
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from courses.models import (
    Cohort,
    CohortItemDates,
    CoursePage,
    Enrolment,
    ItemCompletion,
    LessonPage,
    ModulePage,
    QuizPage,
    dated_item_types,
    learning_item_field,
    learning_item_kind,
    learning_item_q,
)
from lms import sql
from lms.page_generation import GenerationMemo, request_generation
from lms.progress import Progress
from quizzes.selectors import released_grade

VISIBLE_STATUSES = [Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]


@dataclass
class Item:
    """A lesson or test as progress sees it (its page without the StreamField)."""

    key: UUID  # the translation key, shared by every language copy
    path: str
    title: str
    kind: str  # "lesson", "module_test", "final_exam" or "assignment"
    required: bool
    done_at: datetime | None = None
    page: Page | None = None  # only where the item is linked to (a module's list)
    module_key: UUID | None = None  # set for untranslated items, listed under their module
    language: str = ""  # set for untranslated items: the language of the copy to read
    late: bool = False  # done after it was due
    release: Release | None = None  # set where a learner's cohort dates apply

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def locked(self) -> bool:
        return bool(self.release and self.release.locked)


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


# What the pages of a course show alike to every learner and every request, kept in
# the process while the page generation stands (any publish, unpublish, move or
# deletion starts a new one): the course of a page, a lesson's module and neighbours,
# a module's items.
_structure = GenerationMemo(size=4096)


def _memo(request, key, build):
    if getattr(request, "is_preview", False):  # a draft's place may not be saved yet
        return build()
    return _structure.get(key, build, generation=request_generation(request))


def course_for_request(*, request, page: Page) -> CoursePage | None:
    """``course_of(page)``, kept in the process until the page tree changes: every
    request to a module, lesson or test needs it. A copy of its own for each request."""
    course = _memo(request, ("course", page.path), lambda: course_of(page))
    return copy.copy(course) if course is not None else None


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


def enrolment_for(
    *, user, course: CoursePage, done_key: UUID | None = None, dates_for: Page | None = None
) -> Enrolment | None:
    """The learner's active or completed enrolment in a course (any language copy),
    with its cohort (one query).

    With ``done_key`` (an item's translation key), also whether the learner has done
    that item, as ``enrolment.item_done``, read in the same query. With ``dates_for``
    (the course's page, or a module's), also the cohort dates that page shows (all of
    them, or the module's and its items': ``item_release``'s), as ``enrolment.dates``
    (``CohortDates``), read in the same query too.
    """
    if not user.is_authenticated:
        return None
    # Written out (see ``_enrolment_sql``): every course, module and lesson page asks
    # this, and building the ORM's query cost more than the rest of the page's reads.
    # One enrolment at most (one per learner and course; a row for each of its dates
    # read with it); the status is checked here.
    key_field = Enrolment._meta.get_field("course_key")
    params = []
    if done_key is not None:
        item_field = ItemCompletion._meta.get_field("item_key")
        params.append(item_field.get_db_prep_value(done_key, connection))
    shape = None
    if dates_for is not None:
        keys, children_of = _dates_shape(dates_for)
        params += _dates_params(keys=keys, children_of=children_of)
        shape = (len(keys), children_of is not None)
    params += [user.pk, key_field.get_db_prep_value(course.translation_key, connection)]
    rows = sql.fetch(_enrolment_sql(connection.vendor, done_key is not None, shape), params)
    if not rows:
        return None
    [row] = sql.converted_rows(_ENROLMENT_FIELDS, rows[:1])
    enrolment = Enrolment.from_db(connection.alias, _ENROLMENT_NAMES, row[:_ENROLMENT_WIDTH])
    if enrolment.status not in VISIBLE_STATUSES:
        return None
    cohort = Cohort.from_db(connection.alias, _COHORT_NAMES, row[_ENROLMENT_WIDTH:_ROW_WIDTH])
    Enrolment.cohort.field.set_cached_value(enrolment, cohort)
    if done_key is not None:
        enrolment.item_done = bool(row[_ROW_WIDTH])
    if dates_for is not None:
        start = _ROW_WIDTH + (done_key is not None)
        found = {}
        for dates_row in sql.converted_rows((*[None] * start, *_DATE_FIELDS), rows):
            if dates_row[start] is not None:  # none: the cohort has no dates for it
                key, opens, due = dates_row[start:]
                found[key] = (opens, due)
        enrolment.dates = CohortDates(cohort=cohort, dates=found)
        enrolment.dates_for = dates_for.pk
    return enrolment


_ENROLMENT_NAMES = [f.attname for f in Enrolment._meta.concrete_fields]
_COHORT_NAMES = [f.attname for f in Cohort._meta.concrete_fields]
_ENROLMENT_WIDTH = len(_ENROLMENT_NAMES)
_ENROLMENT_FIELDS = (*Enrolment._meta.concrete_fields, *Cohort._meta.concrete_fields)
_ROW_WIDTH = _ENROLMENT_WIDTH + len(_COHORT_NAMES)


@functools.cache
def _enrolment_sql(vendor: str, with_done: bool, dates: tuple[int, bool] | None) -> str:
    """``enrolment_for``'s query: the learner's enrolment in the course with its
    cohort's columns; ``with_done``, whether an item's completion exists (its key the
    first parameter); with ``dates`` (``_dates_sql``'s number of keys and whether the
    children of a page are asked), the cohort's dates joined, a row for each."""
    quote = connection.ops.quote_name
    columns = [f"e.{quote(f.column)}" for f in Enrolment._meta.concrete_fields]
    columns += [f"c.{quote(f.column)}" for f in Cohort._meta.concrete_fields]
    if with_done:
        columns.append(
            f"EXISTS (SELECT 1 FROM {sql.table(ItemCompletion)} d "  # noqa: S608
            f"WHERE d.{sql.column(ItemCompletion, 'enrolment')} = e.{sql.column(Enrolment, 'id')} "
            f"AND d.{sql.column(ItemCompletion, 'item_key')} = %s)"
        )
    joined = ""
    if dates is not None:
        columns += [f"t.{sql.column(CohortItemDates, name)}" for name in DATE_FIELDS]
        wanted = _dates_wanted(*dates, parent=False, table="t")
        joined = (
            f"LEFT OUTER JOIN {sql.table(CohortItemDates)} t "
            f"ON t.{sql.column(CohortItemDates, 'cohort')} = e.{sql.column(Enrolment, 'cohort')} "
        )
        if wanted:
            joined += f"AND ({wanted}) "
    return (
        f"SELECT {', '.join(columns)} "  # noqa: S608
        f"FROM {sql.table(Enrolment)} e "
        f"INNER JOIN {sql.table(Cohort)} c "
        f"ON c.{sql.column(Cohort, 'id')} = e.{sql.column(Enrolment, 'cohort')} "
        f"{joined}"
        f"WHERE e.{sql.column(Enrolment, 'learner')} = %s "
        f"AND e.{sql.column(Enrolment, 'course_key')} = %s"
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
        .annotate(item_required=learning_item_field("required"), item_kind=learning_item_kind())
        .order_by("path")
    )
    extra = ("item_required", "item_kind")
    if with_pages:
        records = [(page, page) for page in rows.only(*ITEM_FIELDS)]
    else:
        records = [(SimpleNamespace(**row), None) for row in rows.values(*ITEM_FIELDS, *extra)]
    return [
        Item(
            key=row.translation_key,
            path=row.path,
            title=row.title,
            kind=row.item_kind,
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
    """Set when each item was done by the learner, and whether it was late (one query;
    none without enrolment)."""
    if enrolment is None:
        return
    done = {key: (at, late) for key, at, late in _completion_rows(enrolment_ids=[enrolment.pk])}
    for item in items:
        item.done_at, item.late = done.get(item.key, (None, False))


def _completion_rows(
    *, enrolment_ids: list[int], fields: tuple[str, ...] = ("item_key", "completed_at", "late")
) -> list[list]:
    """``fields`` of the completions of ``enrolment_ids``, read by written-out SQL (one
    query): course and module pages each ask once, and building the ORM's query cost
    more than reading its rows."""
    statement = _completion_sql(connection.vendor, fields, len(enrolment_ids))
    read = [ItemCompletion._meta.get_field(name) for name in fields]
    return sql.converted_rows(read, sql.fetch(statement, enrolment_ids))


@functools.lru_cache(maxsize=64)
def _completion_sql(vendor: str, fields: tuple[str, ...], enrolments: int) -> str:
    columns = ", ".join(sql.column(ItemCompletion, name) for name in fields)
    marks = ", ".join(["%s"] * enrolments)
    return (
        f"SELECT {columns} FROM {sql.table(ItemCompletion)} "  # noqa: S608
        f"WHERE {sql.column(ItemCompletion, 'enrolment')} IN ({marks})"
    )


def module_items(*, module: Page, enrolment: Enrolment | None, request=None) -> list[Item]:
    """The lessons and tests of one module, marked done for the learner. With the
    ``request``, the list comes from the process's memo until the page tree changes
    (each request gets Items of its own; their pages are shared, to read)."""
    if request is None:
        items = _items(Page.objects.child_of(module), with_pages=True)
    else:
        items = [
            copy.copy(item)
            for item in _memo(
                request,
                ("module", module.path),
                lambda: _items(Page.objects.child_of(module), with_pages=True),
            )
        ]
    mark_done(items, enrolment)
    return items


@dataclass
class LearningAccess:
    """Who is looking at a course page, worked out once per request by the page's serve."""

    course: CoursePage
    enrolment: Enrolment | None
    # the learner's cohort dates for the page and its module (or a module's items),
    # and what they say of the page; None for trainers, staff and previews: never locked
    dates: CohortDates | None = None
    release: Release | None = None

    @property
    def locked(self) -> bool:
        return bool(self.release and self.release.locked)


def content_access(*, user, page: Page, request=None) -> LearningAccess | None:
    """The access of a signed-in user to a module, lesson or test page: None unless they
    are enrolled in its course, teach it, or may see every cohort. The learner's
    enrolment says whether they have done the page (``item_done``). With the
    ``request``, the course comes from the process's memo (``course_for_request``)."""
    course = course_of(page) if request is None else course_for_request(request=request, page=page)
    if course is None:
        return None
    # done? is asked of a lesson or test only (a module's page lists its items instead);
    # a module's dates (``item_release``'s) are read with the enrolment
    module = isinstance(page, ModulePage)
    enrolment = enrolment_for(
        user=user,
        course=course,
        done_key=None if module else page.translation_key,
        dates_for=page if module else None,
    )
    if not enrolment and not (can_see_all_cohorts(user) or teaches(user=user, course=course)):
        return None
    return LearningAccess(course=course, enrolment=enrolment)


def learning_access(*, request, page: Page) -> LearningAccess:
    """The access worked out by the page's serve, or (in an admin preview) worked out now."""
    access = getattr(request, "learning_access", None)
    if access is None:
        course = course_of(page)
        access = LearningAccess(
            course=course,
            enrolment=enrolment_for(
                user=request.user, course=course, done_key=page.translation_key
            ),
        )
        request.learning_access = access
    return access


def _around(lesson: Page, request) -> tuple[Page | None, Page | None, Page | None]:
    """``lesson_neighbours``, kept in the process until the page tree changes."""
    return _memo(request, ("around", lesson.path, lesson.depth), lambda: lesson_neighbours(lesson))


def _item_module(item: Page, request) -> Page | None:
    return _around(item, request)[0]


def lesson_context(*, lesson: Page, access: LearningAccess, request) -> dict:
    """What a lesson or test page shows around its content: done? (read with the
    enrolment, see ``learning_access``), where next (``lesson_neighbours``)."""
    enrolment = access.enrolment
    module, previous_item, next_item = _around(lesson, request)
    return {
        "course": access.course,
        "enrolment": enrolment,
        "release": access.release,
        "done": bool(enrolment and enrolment.item_done),
        "module": module,
        "previous_item": previous_item,
        "next_item": next_item,
    }


def lesson_neighbours(lesson: Page) -> tuple[Page | None, Page | None, Page | None]:
    """The module of a lesson or test, and the previous and next live items in it.

    One query: the module's live children are a handful of light rows (no
    StreamField), read together with it.
    """
    parent_path = lesson.path[: -Page.steplen]
    around = (
        Page.objects.filter(
            Q(path=parent_path) | Q(path__startswith=parent_path, depth=lesson.depth, live=True)
        )
        .only("id", "title", "url_path", "path", "depth", "translation_key")
        .order_by("path")
    )
    module, previous_item, next_item = None, None, None
    for page in around:
        if page.path == parent_path:
            module = page
        elif page.path < lesson.path:
            previous_item = page
        elif page.path > lesson.path and next_item is None:
            next_item = page
    return module, previous_item, next_item


# What course and module pages show alike to every learner, kept in the cache between
# changes of the page tree: ``structure_changed`` (on any publish, unpublish, move or
# deletion of a page) starts a new generation, and entries of older ones are ignored.
STRUCTURE_GENERATION_KEY = "courses:structure-generation"
STRUCTURE_CACHE_SECONDS = 60 * 60


def structure_changed() -> None:
    """Forget what was cached of every course's structure (see ``untranslated_items``)."""
    try:
        cache.incr(STRUCTURE_GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value will do
        cache.set(STRUCTURE_GENERATION_KEY, secrets.randbits(48), None)


def untranslated_items(*, course: CoursePage, module: Page | None = None) -> list[Item]:
    """Lessons and tests live in another language's copy of ``course`` (or of ``module``)
    whose copy in this language is missing or not live.

    The same for every learner, so cached until the page tree changes: one cache read
    on most requests, one query after a change.
    """
    entry_key = f"courses:untranslated:{course.pk}:{module.pk if module else ''}"
    found = cache.get_many([STRUCTURE_GENERATION_KEY, entry_key])
    generation = found.get(STRUCTURE_GENERATION_KEY)
    entry = found.get(entry_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    items = _untranslated_items(course=course, module=module)
    if generation is None:
        structure_changed()
        generation = cache.get(STRUCTURE_GENERATION_KEY)
    cache.set(entry_key, (generation, items), STRUCTURE_CACHE_SECONDS)
    return items


def _untranslated_items(*, course: CoursePage, module: Page | None = None) -> list[Item]:
    """What ``untranslated_items`` returns, read from the database (one query).

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
            item_kind=learning_item_kind(),
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
                kind=page.item_kind,
                required=bool(page.item_required),
                page=page,
                module_key=page.module_key,
                language=page.language,
            )
    return sorted(chosen.values(), key=lambda item: item.path)


# A course's outline: its modules and their lessons and tests, what every learner's
# progress and "continue" are worked out from. The same for every learner, so kept in
# the process under the page generation (like ``_structure``): a course page or the
# dashboard then reads only the learner's completions, and counts them in Python,
# however many items the course has.


@dataclass(frozen=True)
class OutlineItem:
    """A live lesson or test of a course's outline (shared by requests: read only)."""

    key: UUID
    path: str
    kind: str
    required: bool
    published_at: datetime | None  # first published: "new" after a completed course
    language: str  # of its locale: "continue" links to it in that language
    page: Page  # enough of it for its URL


@dataclass(frozen=True)
class OutlineModule:
    page: Page  # enough of it for its title and URL
    items: tuple[OutlineItem, ...]
    keys: frozenset[UUID]  # of its items
    required: frozenset[UUID]  # keys of the items that count towards progress

    @property
    def key(self) -> UUID:
        return self.page.translation_key


@dataclass(frozen=True)
class Outline:
    """A course's live modules, each with its live items, in tree order."""

    modules: tuple[OutlineModule, ...]
    # each item's module and the item, by the item's key
    places: dict[UUID, tuple[OutlineModule, OutlineItem]] = field(
        default_factory=dict, compare=False
    )

    def items(self):
        """(module, item) for every item, in tree order."""
        return ((module, item) for module in self.modules for item in module.items)


OUTLINE_FIELDS = (*ITEM_FIELDS, "locale_id", "first_published_at")


def course_outlines(*, courses: Sequence[CoursePage], request=None) -> dict[int, Outline]:
    """The outline of each course, by its id: from the process's memo with the
    ``request`` (until the page tree changes), the missing ones read together in one
    query whatever their number and size."""
    generation = None
    if request is not None and not getattr(request, "is_preview", False):
        generation = request_generation(request)
    outlines, missing = {}, {}
    for course in courses:
        found = None
        if generation is not None:
            found = _structure.peek(("outline", course.pk), generation=generation)
        if found is None:
            missing[course.pk] = course
        else:
            outlines[course.pk] = found
    if missing:
        built = _build_outlines(list(missing.values()))
        for pk, outline in built.items():
            if generation is not None:
                _structure.put(("outline", pk), outline, generation=generation)
        outlines.update(built)
    return outlines


def _build_outlines(courses: list[CoursePage]) -> dict[int, Outline]:
    """The outlines of ``courses`` read from the database (one query): their live
    modules and the live items of those modules."""
    rows = (
        Page.objects.filter(
            _under(courses, levels=1) | (_under(courses, levels=2) & learning_item_q())
        )
        .live()
        .annotate(
            item_required=learning_item_field("required"),
            item_kind=learning_item_kind(),
            language=F("locale__language_code"),
        )
        .order_by("path")
        .only(*OUTLINE_FIELDS)
    )
    steplen = Page.steplen
    modules: dict[str, tuple[Page, list[OutlineItem]]] = {}
    by_path = {course.path: course.pk for course in courses}
    for page in rows:
        parent = page.path[:-steplen]
        if parent in by_path:
            modules[page.path] = (page, [])
        elif parent in modules:  # else its module is not live
            modules[parent][1].append(
                OutlineItem(
                    key=page.translation_key,
                    path=page.path,
                    kind=page.item_kind,
                    required=bool(page.item_required),
                    published_at=page.first_published_at,
                    language=page.language,
                    page=page,
                )
            )
    outlines: dict[int, list[OutlineModule]] = {course.pk: [] for course in courses}
    for path, (page, items) in modules.items():
        outlines[by_path[path[:-steplen]]].append(
            OutlineModule(
                page=page,
                items=tuple(items),
                keys=frozenset(item.key for item in items),
                required=frozenset(item.key for item in items if item.required),
            )
        )
    return {
        pk: Outline(
            modules=tuple(found),
            places={item.key: (module, item) for module in found for item in module.items},
        )
        for pk, found in outlines.items()
    }


def completed_keys(enrolments: Iterable[Enrolment]) -> dict[int, frozenset[UUID]]:
    """The keys of the items each enrolment has done, by enrolment id (one query, none
    without enrolments): each enrolment's own completions only."""
    done: dict[int, set[UUID]] = {enrolment.pk: set() for enrolment in enrolments}
    if done:
        for pk, key in _completion_rows(enrolment_ids=list(done), fields=("enrolment", "item_key")):
            done[pk].add(key)
    return {pk: frozenset(keys) for pk, keys in done.items()}


@dataclass
class ModuleSummary:
    page: Page
    release: Release | None = None  # set for a learner whose cohort dates apply
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
    # what "continue" is worked out from (``continue_urls``)
    outline: Outline | None = field(default=None, repr=False, compare=False)
    done_keys: frozenset[UUID] = field(default=frozenset(), repr=False, compare=False)

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


def course_summary(
    *, course: CoursePage, enrolment: Enrolment | None = None, request=None
) -> CourseSummary:
    """Per-module counts of items, required items and items done (see
    ``course_summaries``)."""
    return course_summaries(courses=[(course, enrolment)], request=request)[0]


def course_summaries(
    *, courses: Sequence[tuple[CoursePage, Enrolment | None]], request=None
) -> list[CourseSummary]:
    """``course_summary`` of each (course, enrolment) pair, in order: the courses'
    outlines (``course_outlines``: no query with the ``request`` once kept) and the
    enrolments' completions (one query), whatever the number of pairs, the courses'
    depths and sizes.

    Each enrolment is counted against its own completions only, so two enrolments
    never share theirs.
    """
    if not courses:
        return []
    outlines = course_outlines(courses=[course for course, _e in courses], request=request)
    done = completed_keys(enrolment for _course, enrolment in courses if enrolment is not None)
    summaries = []
    for course, enrolment in courses:
        outline = outlines[course.pk]
        mine = done.get(enrolment.pk, frozenset()) if enrolment else frozenset()
        completed_at = enrolment.completed_at if enrolment else None
        modules = []
        for module in outline.modules:
            summary = ModuleSummary(
                page=module.page, item_count=len(module.items), required=len(module.required)
            )
            if enrolment is not None:
                summary.done = len(module.required & mine)
                if completed_at is not None:
                    summary.new = sum(
                        1 for item in module.items if _new_for(item, completed_at, mine)
                    )
            modules.append(summary)
        summaries.append(
            CourseSummary(
                modules=modules, completed_at=completed_at, outline=outline, done_keys=mine
            )
        )
    return summaries


def _under(courses: Iterable[CoursePage], *, levels: int) -> Q:
    """Pages ``levels`` below any of ``courses`` (1: their modules; 2: their items)."""
    return reduce(
        operator.or_,
        (Q(path__startswith=course.path, depth=course.depth + levels) for course in courses),
    )


def _new_for(item: OutlineItem, completed_at: datetime, done: frozenset[UUID]) -> bool:
    """A required item first published after the learner completed the course, not done."""
    return (
        item.required
        and item.key not in done
        and item.published_at is not None
        and item.published_at > completed_at
    )


def continue_url(
    *, enrolment: Enrolment, course: CoursePage, request, closed: ClosedItems | None = None
) -> str | None:
    """Where "continue" leads: the last item opened if not done, else the first to do;
    never an item the learner's cohort has not opened yet (``closed``, see
    ``closed_items``).

    In a completed course: the first required item added since (see ``CourseSummary``),
    or nowhere.
    """
    return continue_urls(starts=[(enrolment, course, closed)], request=request)[0]


def continue_urls(
    *,
    starts: Sequence[tuple[Enrolment, CoursePage, ClosedItems | None]],
    request,
    summaries: Sequence[CourseSummary] | None = None,
) -> list[str | None]:
    """``continue_url`` of each (enrolment, course, closed) in order, worked out over
    the courses' outlines: no query when each leads to an item of its course in the
    active language (else one for those pages). The ``summaries`` of the same
    enrolments and courses (``course_summaries``) give their outlines and completions;
    without them, they are read (one query more)."""
    if not starts:
        return []
    if summaries is None:
        summaries = course_summaries(
            courses=[(course, enrolment) for enrolment, course, _c in starts], request=request
        )
    language = get_language()
    targets: list[tuple[UUID | None, OutlineItem | None]] = []
    for (enrolment, _course, closed), summary in zip(starts, summaries, strict=True):
        key = _continue_target(enrolment, summary.outline, summary.done_keys, closed)
        _module, item = summary.outline.places.get(key, (None, None))
        targets.append((key, item if item is not None and item.language == language else None))
    # a target outside the course in this language (an item opened in another copy):
    # its page in the active language first, then any other copy
    elsewhere = {key for key, item in targets if key is not None and item is None}
    pages: dict[UUID, Page] = {}
    if elsewhere:
        for page in (
            Page.objects.filter(translation_key__in=elsewhere, live=True)
            .order_by(Case(When(locale__language_code=language, then=0), default=1), "pk")
            .only("id", "path", "depth", "url_path", "locale_id", "translation_key")
        ):
            pages.setdefault(page.translation_key, page)
    urls = []
    for key, item in targets:
        page = item.page if item is not None else pages.get(key)
        urls.append(page.get_url(request) if page else None)
    return urls


def _continue_target(
    enrolment: Enrolment, outline: Outline, done: frozenset[UUID], closed: ClosedItems | None
) -> UUID | None:
    """The translation key "continue" leads to."""

    def open_to_do(module: OutlineModule, item: OutlineItem) -> bool:
        return item.key not in done and not (closed and closed.covers(module.key, item.key))

    if enrolment.completed_at is not None:
        completed_at = enrolment.completed_at
        return next(
            (
                item.key
                for module, item in outline.items()
                if _new_for(item, completed_at, done) and open_to_do(module, item)
            ),
            None,
        )
    target = enrolment.last_item_key
    if target is not None and target not in done:
        module, _item = outline.places.get(target, (None, None))
        if module is None or not (closed and closed.covers(module.key, target)):
            return target
    # the first required item left to do, else the first optional one
    first_optional = None
    for module in outline.modules:
        if module.keys <= done:  # a module done is passed over at set speed
            continue
        for item in module.items:
            if open_to_do(module, item):
                if item.required:
                    return item.key
                first_optional = first_optional or item.key
    return first_optional


@functools.cache
def _visible_enrolments_sql(vendor: str) -> str:
    """Written out once per process: every learner's dashboard starts with it, and
    compiling it cost several times reading the rows."""
    e, c = "e", "c"
    statuses = ", ".join(["%s"] * len(VISIBLE_STATUSES))
    return (
        f"SELECT {sql.columns(Enrolment, sql.field_names(Enrolment), e)}, "  # noqa: S608
        f"{sql.columns(Cohort, sql.field_names(Cohort), c)} "
        f"FROM {sql.table(Enrolment)} {e} INNER JOIN {sql.table(Cohort)} {c} "
        f"ON {sql.column(Cohort, 'id', c)} = {sql.column(Enrolment, 'cohort', e)} "
        f"WHERE {sql.column(Enrolment, 'learner', e)} = %s "
        f"AND {sql.column(Enrolment, 'status', e)} IN ({statuses}) "
        f"ORDER BY {sql.column(Enrolment, 'enrolled_at', e)} DESC"
    )


def visible_enrolments(*, learner) -> list[Enrolment]:
    """The learner's enrolments the dashboard lists (active and completed), newest
    first, each with its cohort: one written-out query, every field of both read."""
    params = [learner.pk, *(str(status) for status in VISIBLE_STATUSES)]
    rows = sql.fetch(_visible_enrolments_sql(connection.vendor), params)
    names = sql.field_names(Enrolment)
    enrolments = sql.instances(Enrolment, names, [row[: len(names)] for row in rows])
    cohorts = sql.instances(Cohort, sql.field_names(Cohort), [row[len(names) :] for row in rows])
    for enrolment, cohort in zip(enrolments, cohorts, strict=True):
        enrolment.cohort = cohort
    return enrolments


def enrolled_courses(*, enrolments: Iterable[Enrolment], request=None) -> dict[int, CoursePage]:
    """The course of each enrolment's cohort in the active language, by the cohort's
    course id: its live copy in that language, else the cohort's own copy, as
    ``.localized`` finds it; with the cover image and its renditions. One query
    whatever the number of courses, two with any cover image; none for the courses the
    process already holds with the ``request`` (kept per course and language until the
    page generation changes: a publish, a move, an image edit). The pages are shared by
    the requests of the process: callers must not change them."""
    ids = {enrolment.cohort.course_id for enrolment in enrolments}
    if not ids:
        return {}
    language = _content_language()
    generation = None
    if request is not None and not getattr(request, "is_preview", False):
        generation = request_generation(request)
    found: dict[int, CoursePage] = {}
    if generation is not None:
        for pk in ids:
            kept = _structure.peek(("enrolled-course", language, pk), generation=generation)
            if kept is not None:
                found[pk] = kept
    missing = ids - found.keys()
    if missing:
        built = _build_enrolled_courses(ids=missing, language=language)
        if generation is not None:
            for pk, course in built.items():
                _structure.put(("enrolled-course", language, pk), course, generation=generation)
        found.update(built)
    return found


def _build_enrolled_courses(*, ids: set[int], language: str | None) -> dict[int, CoursePage]:
    """``enrolled_courses`` read from the database (one query, two with cover images)."""
    copies = Q(pk__in=ids)
    if language is not None:
        copies |= Q(
            translation_key__in=CoursePage.objects.filter(pk__in=ids).values("translation_key"),
            locale__language_code=language,
            live=True,
        )
    rows = list(
        CoursePage.objects.filter(copies)
        .annotate(language=F("locale__language_code"))
        .select_related("cover_image")
        .prefetch_related(
            Prefetch(
                "cover_image__renditions",
                queryset=get_image_model().get_rendition_model().objects.all(),
            )
        )
    )
    here = {row.translation_key: row for row in rows if row.language == language and row.live}
    return {
        row.pk: row if row.language == language else here.get(row.translation_key, row)
        for row in rows
        if row.pk in ids
    }


def _content_language() -> str | None:
    """The language code of the active locale, as ``Locale.get_active`` picks it (the
    default language when the active one has no content), without a query; None when
    pages are not translated."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    for code in filter(None, (get_language(), settings.LANGUAGE_CODE)):
        try:
            return get_supported_content_language_variant(code)
        except LookupError:
            continue
    return None


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


# Release and due dates -------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """When one module or test opens for a learner's cohort, and when it is due."""

    opens_at: datetime | None
    due_at: datetime | None  # the date set for it (or its module), for the learner to see
    late_after: datetime | None  # the due date, else the cohort's end: later work is late
    now: datetime

    @property
    def locked(self) -> bool:
        return self.opens_at is not None and self.now < self.opens_at

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at <= self.now

    def is_late(self, at: datetime) -> bool:
        return self.late_after is not None and at > self.late_after


def _day_start(day) -> datetime:
    """Midnight of ``day`` in the site's zone (Asia/Almaty)."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class CohortDates:
    """A cohort's release and due dates, by item key, read in one query.

    The rule (the README's "Release and due dates"): nothing opens before the cohort
    starts unless a date says otherwise; a test opens with its module, or later on its
    own date; an item is due on its own date, else its module's; after the due date,
    or after the cohort's last day when no date is set, work is accepted and marked late.
    """

    cohort: Cohort
    dates: dict[UUID, tuple[datetime | None, datetime | None]]

    # The cohort's first moment and the moment after its last day, worked out once: a
    # course's page asks for every module, a module's for every item.
    @functools.cached_property
    def _starts_at(self) -> datetime:
        return _day_start(self.cohort.starts_on)

    @functools.cached_property
    def _ended_at(self) -> datetime:
        return _day_start(self.cohort.ends_on + timedelta(days=1))

    def release(
        self, *, module_key: UUID, item_key: UUID | None = None, now: datetime | None = None
    ) -> Release:
        now = now or timezone.now()
        module_opens, module_due = self.dates.get(module_key, (None, None))
        item_opens, item_due = self.dates.get(item_key, (None, None)) if item_key else (None, None)
        opens = module_opens or self._starts_at
        if item_opens is not None:
            opens = max(opens, item_opens)
        due = item_due or module_due
        late_after = due or self._ended_at
        return Release(opens_at=opens, due_at=due, late_after=late_after, now=now)


def cohort_dates(*, cohort: Cohort, keys=None) -> CohortDates:
    """The cohort's dates (one query): all of them, or those of ``keys`` (a list or a
    subquery of translation keys)."""
    if keys is None:  # every course page asks: written out (see ``_dates_rows``)
        return CohortDates(cohort=cohort, dates=_dates_rows(cohort_id=cohort.pk))
    rows = CohortItemDates.objects.filter(cohort=cohort, item_key__in=keys)
    return CohortDates(
        cohort=cohort,
        dates={key: (opens, due) for key, opens, due in rows.values_list(*DATE_FIELDS)},
    )


DATE_FIELDS = ("item_key", "opens_at", "due_at")
_DATE_FIELDS = tuple(CohortItemDates._meta.get_field(name) for name in DATE_FIELDS)


def _dates_rows(
    *,
    cohort_id: int,
    keys: Sequence[UUID] = (),
    children_of: Page | None = None,
    parent_of: Page | None = None,
) -> dict[UUID, tuple[datetime | None, datetime | None]]:
    """A cohort's (opens, due) by item key, read by written-out SQL (one query): all of
    them, or those of ``keys``, of the pages under ``children_of`` and of the page
    above ``parent_of`` (the module of an item). The course, module and lesson pages
    each ask once; building the ORM's query cost more than reading its rows."""
    params = [cohort_id, *_dates_params(keys=keys, children_of=children_of)]
    if parent_of is not None:
        params.append(parent_of.path[: -Page.steplen])
    statement = _dates_sql(
        connection.vendor, len(keys), children_of is not None, parent_of is not None
    )
    rows = sql.converted_rows(_DATE_FIELDS, sql.fetch(statement, params))
    return {key: (opens, due) for key, opens, due in rows}


def _dates_params(*, keys: Sequence[UUID], children_of: Page | None) -> list:
    """The parameters of ``_dates_wanted``'s keys and children (before a parent's)."""
    key_field = CohortItemDates._meta.get_field("item_key")
    params = [key_field.get_db_prep_value(key, connection) for key in keys]
    if children_of is not None:  # treebeard's paths hold no % or _
        params += [f"{children_of.path}%", children_of.depth + 1]
    return params


def _dates_shape(page: Page) -> tuple[list[UUID], Page | None]:
    """The keys and the page whose children's keys ``item_release`` reads the dates of
    for a module page (its own and its items'); for a course's page, all: none."""
    if isinstance(page, CoursePage):
        return [], None
    return [page.translation_key], page


def _dates_wanted(keys: int, children: bool, *, parent: bool, table: str = "") -> str:
    """The condition on a dates row for ``_dates_sql`` (empty: all of the cohort's)."""
    page_key = f"p.{sql.column(Page, 'translation_key')}"
    page_path = f"p.{sql.column(Page, 'path')}"
    pages = f"{sql.table(Page)} p"
    item_key = (
        f"{table}.{sql.column(CohortItemDates, 'item_key')}"
        if table
        else sql.column(CohortItemDates, "item_key")
    )
    wanted = []
    if keys:
        wanted.append(f"{item_key} IN ({', '.join(['%s'] * keys)})")
    if children:
        wanted.append(
            f"{item_key} IN (SELECT {page_key} FROM {pages} "  # noqa: S608
            f"WHERE {page_path} LIKE %s AND p.{sql.column(Page, 'depth')} = %s)"
        )
    if parent:
        wanted.append(
            f"{item_key} IN (SELECT {page_key} FROM {pages} WHERE {page_path} = %s)"  # noqa: S608
        )
    return " OR ".join(wanted)


@functools.cache
def _dates_sql(vendor: str, keys: int, children: bool, parent: bool) -> str:
    """``_dates_rows``'s query for that many keys, with or without the pages under a
    page (its path prefix and their depth the parameters) and the page above one (its
    path)."""
    wanted = _dates_wanted(keys, children, parent=parent)
    columns = ", ".join(sql.column(CohortItemDates, name) for name in DATE_FIELDS)
    statement = (
        f"SELECT {columns} FROM {sql.table(CohortItemDates)} "  # noqa: S608
        f"WHERE {sql.column(CohortItemDates, 'cohort')} = %s"
    )
    if wanted:
        statement += f" AND ({wanted})"
    return statement


def item_release(
    *, enrolment: Enrolment, page: Page, now: datetime | None = None, request=None
) -> tuple[Release, CohortDates]:
    """When ``page`` (a module, lesson or test) opens and is due for the learner, with
    the cohort dates read for it (one query: the page's and its module's dates, or a
    module's and its items', the keys read inside the query). With the ``request``, an
    item's module comes from the process's memo (``lesson_context``'s), so the query
    names both keys and has no subquery to build."""
    if page.specific_class is ModulePage:
        if getattr(enrolment, "dates_for", None) == page.pk:  # read with the enrolment
            found = enrolment.dates.dates
        else:
            keys, children_of = _dates_shape(page)
            found = _dates_rows(cohort_id=enrolment.cohort_id, keys=keys, children_of=children_of)
        module_key, item_key = page.translation_key, None
    else:
        module = _item_module(page, request) if request is not None else None
        if module is not None:
            keys = [page.translation_key, module.translation_key]
            found = _dates_rows(cohort_id=enrolment.cohort_id, keys=keys)
        else:
            found = _dates_rows(
                cohort_id=enrolment.cohort_id, keys=[page.translation_key], parent_of=page
            )
        module_key, item_key = None, page.translation_key
    dates = CohortDates(cohort=enrolment.cohort, dates=found)
    if module_key is None:  # the row that is not the item's own is its module's
        module_key = next((key for key in dates.dates if key != item_key), None)
    return dates.release(module_key=module_key, item_key=item_key, now=now), dates


@dataclass(frozen=True)
class ClosedItems:
    """The items of a course a learner may not open yet (``closed_items``)."""

    modules: frozenset[UUID]  # keys of the modules not open yet: none of their items is
    items: frozenset[UUID]  # keys of the items whose own opening date is still ahead

    def covers(self, module_key: UUID, item_key: UUID) -> bool:
        """Is the item (of that module) closed? What ``CohortDates.release`` says of it:
        an item opens with its module, or later on its own date."""
        return module_key in self.modules or item_key in self.items


def closed_items(*, dates: CohortDates, modules, now: datetime | None = None) -> ClosedItems | None:
    """The course's items a learner may not open yet: those of locked modules
    (``modules``: objects with the module's ``page``) and tests whose own date is still
    ahead. None when everything is open."""
    now = now or timezone.now()
    locked = frozenset(
        module.page.translation_key
        for module in modules
        if dates.release(module_key=module.page.translation_key, now=now).locked
    )
    later = frozenset(key for key, (opens, _due) in dates.dates.items() if opens and opens > now)
    if not locked and not later:
        return None
    return ClosedItems(modules=locked, items=later)


@dataclass
class Deadline:
    """A module or test due for a learner's cohort, for the dashboard's lists."""

    key: UUID
    cohort_id: int
    title: str
    due_at: datetime
    kind: str  # "module", or the item's: "module_test", "final_exam", "assignment"...
    page: Page | None  # enough of it for its URL (id and url_path); None if not live
    done: bool = False
    required: bool = True  # a test's or an assignment's own flag; True for a module


@dataclass
class LearnerDates:
    """The dates of every cohort a learner is in, and the deadlines among them."""

    cohorts: dict[int, CohortDates]
    deadlines: list[Deadline]

    def for_cohort(self, cohort: Cohort) -> CohortDates:
        return self.cohorts.get(cohort.pk) or CohortDates(cohort=cohort, dates={})

    def split(
        self, *, met: set[UUID], now: datetime | None = None, limit: int = 5
    ) -> tuple[list[Deadline], list[Deadline]]:
        """(due next, overdue): the next ``limit`` deadlines not met, soonest first,
        and those passed and not met, oldest first. A test is met when it is passed,
        a module when every required item in it is done (``met``, with the items of
        a completed course)."""
        now = now or timezone.now()
        waiting = [d for d in self.deadlines if d.page is not None and not (d.done or d.key in met)]
        waiting.sort(key=lambda d: d.due_at)
        return [d for d in waiting if d.due_at > now][:limit], [
            d for d in waiting if d.due_at <= now
        ]


def learner_dates(
    *,
    enrolments: list[Enrolment],
    request=None,
    done: dict[int, frozenset[UUID]] | None = None,
) -> LearnerDates:
    """The release and due dates of the learner's cohorts with what the dashboard
    shows of each dated item (its page in the active language, its kind, passed?):
    one query for the dates whatever the number of cohorts, items and dates; the items'
    pages come from the process's memo with the ``request`` (one query for those not
    kept yet), what the learner has done from ``done`` (``completed_keys``; read when
    not given: one query)."""
    if not enrolments:
        return LearnerDates(cohorts={}, deadlines=[])
    cohorts = {enrolment.cohort_id: enrolment.cohort for enrolment in enrolments}
    rows = _cohorts_dates(list(cohorts))
    due_keys = {key for key, _opens, due, _cohort in rows if due is not None}
    pages = _dated_pages(due_keys, request=request) if due_keys else {}
    if due_keys and done is None:
        done = completed_keys(enrolments)
    passed = frozenset().union(*done.values()) if due_keys else frozenset()
    dates: dict[int, dict] = {pk: {} for pk in cohorts}
    deadlines = []
    for key, opens, due, cohort_id in rows:
        dates[cohort_id][key] = (opens, due)
        if due is not None:
            found = pages[key]
            deadlines.append(
                Deadline(
                    key=key,
                    cohort_id=cohort_id,
                    title=found.title or "",
                    due_at=due,
                    kind=found.kind or "module",
                    page=found.page,
                    done=key in passed,
                    required=found.kind is None or bool(found.required),
                )
            )
    return LearnerDates(
        cohorts={pk: CohortDates(cohort=cohorts[pk], dates=d) for pk, d in dates.items()},
        deadlines=deadlines,
    )


def _cohorts_dates(cohort_ids: list[int]) -> list[list]:
    """(item key, opens at, due at, cohort id) of every date of the cohorts: one
    written-out query, as every learner's dashboard asks it and compiling it cost
    several times reading the rows."""
    fields = [CohortItemDates._meta.get_field(name) for name in (*DATE_FIELDS, "cohort")]
    statement = (
        f"SELECT {sql.columns(CohortItemDates, (*DATE_FIELDS, 'cohort'))} "  # noqa: S608
        f"FROM {sql.table(CohortItemDates)} "
        f"WHERE {sql.column(CohortItemDates, 'cohort')} IN ({', '.join(['%s'] * len(cohort_ids))})"
    )
    return sql.converted_rows(fields, sql.fetch(statement, cohort_ids))


@dataclass(frozen=True)
class DatedPage:
    """What a deadline shows of the module or item it is for (``_dated_pages``)."""

    page_id: int | None  # its live copy in the active language, else another live copy
    title: str | None
    url_path: str | None
    kind: str | None  # a dated item's kind ("module_test"...); None for a module
    required: bool | None
    # the copy as a page with enough of it for its URL, made once with the memo's entry
    # (building a Page costs more than the rest of the dashboard's dates): shared by
    # the requests of the process, callers must not change it
    page: Page | None = field(default=None, compare=False)


def _dated_pages(keys: set[UUID], *, request=None) -> dict[UUID, DatedPage]:
    """The ``DatedPage`` of each translation key in the active language, from the
    process's memo with the ``request`` until the page tree changes (one query for
    those not kept yet)."""
    language = get_language()
    generation = None
    if request is not None and not getattr(request, "is_preview", False):
        generation = request_generation(request)
    found: dict[UUID, DatedPage] = {}
    for key in keys:
        if generation is not None:
            kept = _structure.peek(("dated", language, key), generation=generation)
            if kept is not None:
                found[key] = kept
    missing = keys - found.keys()
    if not missing:
        return found
    dated = learning_item_q(types=dated_item_types())
    rows = (
        Page.objects.filter(translation_key__in=missing)
        .annotate(
            language=F("locale__language_code"),
            is_dated=Case(When(dated, then=Value(True)), default=Value(False)),
            item_kind=learning_item_kind(),
            item_required=learning_item_field("required"),
        )
        .values(
            "pk",
            "path",
            "live",
            "title",
            "url_path",
            "translation_key",
            "language",
            "is_dated",
            "item_kind",
            "item_required",
        )
    )
    by_key: dict[UUID, list[dict]] = {key: [] for key in missing}
    for row in rows:
        by_key[row["translation_key"]].append(row)
    for key, copies in by_key.items():
        # the copy to link to: live, in the active language first, then the lowest id
        live = sorted(
            (row for row in copies if row["live"]),
            key=lambda row: (row["language"] != language, row["pk"]),
        )
        # the kind: of the first copy in tree order that is a dated item, live or not
        items = sorted((row for row in copies if row["is_dated"]), key=lambda row: row["path"])
        copy, item = (live or [None])[0], (items or [None])[0]
        found[key] = DatedPage(
            page_id=copy["pk"] if copy else None,
            title=copy["title"] if copy else None,
            url_path=copy["url_path"] if copy else None,
            kind=item["item_kind"] if item else None,
            required=item["item_required"] if item else None,
            page=(
                Page(id=copy["pk"], url_path=copy["url_path"], title=copy["title"])
                if copy
                else None
            ),
        )
        if generation is not None:
            _structure.put(("dated", language, key), found[key], generation=generation)
    return found


@dataclass
class DatedItem:
    """A module or test of a course, as the cohort dates form lists it."""

    key: UUID
    title: str
    kind: str  # "module", "module_test", "final_exam" or "assignment"


def dated_items(*, course: CoursePage) -> list[DatedItem]:
    """The modules of a course and the tests and assignments in them, in course order
    (one query): the items a cohort may give an opening and a due date."""
    rows = (
        Page.objects.descendant_of(course)
        .filter(
            Q(depth=course.depth + 1)
            | Q(learning_item_q(types=dated_item_types()), depth=course.depth + 2)
        )
        .annotate(
            item_kind=Case(
                When(depth=course.depth + 1, then=Value("module")), default=learning_item_kind()
            )
        )
        .order_by("path")
        .values("translation_key", "title", "item_kind")
    )
    return [
        DatedItem(key=row["translation_key"], title=row["title"], kind=row["item_kind"])
        for row in rows
    ]


def calendar_deadlines(*, user) -> list[CohortItemDates]:
    """The due dates of the cohorts a person learns in or teaches, for their calendar
    (one query), each with ``item_title``: the item's title in the active language
    (else another's); items with no live page are left out."""
    learning = Enrolment.objects.filter(learner=user, status__in=VISIBLE_STATUSES).values("cohort")
    copy = Page.objects.filter(translation_key=OuterRef("item_key"), live=True).order_by(
        Case(When(locale__language_code=get_language(), then=0), default=1), "pk"
    )
    return list(
        CohortItemDates.objects.filter(due_at__isnull=False)
        .filter(Q(cohort__in=learning) | Q(cohort__trainers=user))
        .annotate(item_title=Subquery(copy.values("title")[:1]))
        .filter(item_title__isnull=False)
        .select_related("cohort")
        .distinct()
        .order_by("due_at", "pk")
    )


def late_attempts(*, enrolment: Enrolment, course: CoursePage, attempts) -> set[int]:
    """Ids of the ``attempts`` (at the tests of ``course``) handed in after the test was
    due for the learner's cohort (two queries): the quizzes app knows nothing of
    cohorts, so lateness is read here."""
    dates = cohort_dates(cohort=enrolment.cohort)
    steplen = Page.steplen
    by_quiz: dict[int, list[Release]] = {}
    modules = dict(Page.objects.child_of(course).values_list("path", "translation_key"))
    for path, key, quiz_id in (
        QuizPage.objects.descendant_of(course)
        .filter(quiz__isnull=False)
        .values_list("path", "translation_key", "quiz_id")
    ):
        module_key = modules.get(path[:-steplen])
        if module_key is not None:
            by_quiz.setdefault(quiz_id, []).append(
                dates.release(module_key=module_key, item_key=key)
            )
    return {
        attempt.pk
        for attempt in attempts
        if attempt.finished_at
        and any(
            release.is_late(attempt.finished_at) for release in by_quiz.get(attempt.quiz_id, [])
        )
    }


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


# Offline use and lesson weight (README "Offline") ----------------------------------

# Each lesson image is offered in these renditions (base/templates/blocks/figure_block.html);
# a phone downloads one of them, so a saved lesson keeps the one its screen would choose.
FIGURE_RENDITIONS = ("width-400|format-webp", "width-800|format-webp")
# What a lesson page weighs around its body, compressed: header, navigation, footer.
PAGE_CHROME_BYTES = 4_000
# The 3G-class link of the villages the school serves (README "Offline"): 400 kbit/s,
# 400 ms round trips; a page costs about two round trips before its bytes arrive.
SLOW_LINK_BYTES_PER_SECOND = 400_000 // 8
SLOW_LINK_ROUND_TRIPS_SECONDS = 0.8


@dataclass(frozen=True)
class LessonWeight:
    """What a lesson costs to download: its page (compressed), the largest rendition of
    each image and its documents, in bytes; ``images``: each image's renditions as
    (url, width, bytes)."""

    page: int
    images: tuple[tuple[tuple[str, int, int], ...], ...]
    documents: int

    @property
    def image_bytes(self) -> int:
        return sum(max(size for _url, _width, size in image) for image in self.images if image)

    @property
    def total(self) -> int:
        return self.page + self.image_bytes + self.documents

    @property
    def seconds(self) -> int:
        """Seconds to download it all on the slow link, rounded up."""
        return math.ceil(SLOW_LINK_ROUND_TRIPS_SECONDS + self.total / SLOW_LINK_BYTES_PER_SECOND)

    @property
    def over_budget(self) -> bool:
        return self.total > settings.LESSON_WEIGHT_BUDGET_BYTES


def _file_size(file) -> int:
    try:
        return file.size
    except (OSError, ValueError):  # a file missing from storage weighs nothing here
        return 0


def _measure_lesson(lesson) -> LessonWeight:
    """Weigh a lesson's body: its text as stored (close to the HTML it renders to, and
    weighed without rendering, which would fetch video embeds), its images' renditions
    and its documents."""
    raw = json.dumps(list(lesson.body.raw_data), ensure_ascii=False).encode()
    images, documents = [], 0
    for block in lesson.body:
        if block.block_type == "figure" and block.value["image"] is not None:
            renditions = block.value["image"].get_renditions(*FIGURE_RENDITIONS)
            images.append(
                tuple(
                    (rendition.url, rendition.width, _file_size(rendition.file))
                    for rendition in renditions.values()
                )
            )
        elif block.block_type == "document" and block.value["document"] is not None:
            document = block.value["document"]
            documents += document.file_size or _file_size(document.file)
    return LessonWeight(
        page=PAGE_CHROME_BYTES + len(gzip.compress(raw)), images=tuple(images), documents=documents
    )


def _weight_key(lesson_id: int, revision_id: int) -> str:
    return f"courses:lesson-weight:{lesson_id}:{revision_id}"


def lesson_weights(lessons, *, cached: bool = True) -> dict[int, LessonWeight]:
    """The weight of each lesson (by page id), of its live revision, kept in the cache
    per revision: a publish makes a new revision, hence a new figure. No query when all
    are cached. ``cached=False``: of the content in hand (a draft, a preview)."""
    lessons = list(lessons)
    keys = {
        lesson.pk: _weight_key(lesson.pk, lesson.live_revision_id)
        for lesson in lessons
        if lesson.live_revision_id and cached
    }
    found = cache.get_many(keys.values())
    weights, missing = {}, {}
    for lesson in lessons:
        key = keys.get(lesson.pk)
        if key in found:
            weights[lesson.pk] = found[key]
        else:
            weights[lesson.pk] = _measure_lesson(lesson)
            if key:
                missing[key] = weights[lesson.pk]
    if missing:
        cache.set_many(missing, timeout=None)
    return weights


def lesson_weight(lesson, *, cached: bool = True) -> LessonWeight:
    """One lesson's weight (see ``lesson_weights``)."""
    return lesson_weights([lesson], cached=cached)[lesson.pk]


def offline_contents(*, user, page: Page) -> dict | None:
    """What "Save for offline use" downloads for a module or a whole course: the pages
    of its modules, lessons and tests, each lesson's image renditions, with their sizes.

    None (a 404 for the view) unless the user may open the course's content. Modules
    and items the learner's cohort has not opened yet are left out, as are unpublished
    ones. Documents are not saved: they can be large, and a lesson lists their sizes.
    A fixed number of queries, however many lessons (renditions aside, when a lesson's
    weight is not cached yet).
    """
    if isinstance(page, CoursePage):
        course = page
        if not can_view_course_content(user=user, course=course):
            return None
        modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    else:
        access = content_access(user=user, page=page)
        if access is None:
            return None
        course, modules = access.course, [page]
    enrolment = enrolment_for(user=user, course=course)
    dates = cohort_dates(cohort=enrolment.cohort) if enrolment else None
    if dates is not None:
        modules = [m for m in modules if not dates.release(module_key=m.translation_key).locked]
    by_path = {module.path: {"module": module, "items": []} for module in modules}
    items = (
        Page.objects.live()
        .filter(depth=course.depth + 2, path__startswith=course.path)
        .filter(learning_item_q())
        .order_by("path")
        .specific(defer=True)
    )
    lessons = []
    for item in items:
        entry = by_path.get(item.path[: -Page.steplen])
        if entry is None:
            continue
        if (
            dates is not None
            and dates.release(
                module_key=entry["module"].translation_key, item_key=item.translation_key
            ).locked
        ):
            continue
        entry["items"].append(item)
        if isinstance(item, LessonPage):
            lessons.append(item)
    weights = lesson_weights(lessons)
    body = []
    for entry in by_path.values():
        module = entry["module"]
        files = [{"url": module.url, "bytes": PAGE_CHROME_BYTES, "kind": "module"}]
        for item in entry["items"]:
            weight = weights.get(item.pk)
            if weight is None:  # a test's page: its introduction and the start button
                files.append({"url": item.url, "bytes": PAGE_CHROME_BYTES, "kind": "test"})
                continue
            files.append({"url": item.url, "bytes": weight.page, "kind": "lesson"})
            files.extend(
                {
                    "kind": "image",
                    "choices": [
                        {"url": url, "width": width, "bytes": size} for url, width, size in image
                    ],
                }
                for image in weight.images
                if image
            )
        body.append({"id": module.pk, "title": module.title, "url": module.url, "files": files})
    return {"course": course.title, "modules": body}
