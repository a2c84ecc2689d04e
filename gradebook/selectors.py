"""Reads: a cohort's gradebook (learners × graded items, totals and bands), the
learner's own column of it, and a cell's history.

A gradebook is built from a fixed number of queries whatever the number of learners
or items: the sources read their marks for the whole cohort at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from courses.models import Cohort, Enrolment
from courses.reports import cohorts_visible_to
from courses.selectors import VISIBLE_STATUSES, cohort_dates
from gradebook.models import CourseGradingScheme, GradeChange, GradeOverride
from gradebook.sources import GradedItem, sources

TWO_PLACES = Decimal("0.01")
DEFAULT_WEIGHT = Decimal(1)


@dataclass
class Cell:
    item: GradedItem
    grade: Decimal | None  # what counts: the override, else the source's grade
    source_grade: Decimal | None = None
    override: GradeOverride | None = None
    released: bool = True  # may the learner see it yet?


@dataclass
class Row:
    enrolment: Enrolment
    cells: list[Cell]
    total: Decimal | None = None
    band: str = ""


@dataclass
class Gradebook:
    cohort: Cohort
    items: list[GradedItem]
    weights: dict[str, Decimal]  # item key → weight
    due: dict[str, datetime | None]  # item key → when a missing grade starts counting as 0
    rows: list[Row] = field(default_factory=list)
    bands: list[tuple[Decimal, str]] = field(default_factory=list)  # ascending bounds


def cohorts_for_gradebook(user) -> QuerySet[Cohort]:
    """The cohorts whose gradebook the user may open: the cohort admin's rule."""
    return cohorts_visible_to(user)


def cohort_for_gradebook(*, user, cohort_id: int) -> Cohort | None:
    if not user.is_authenticated:
        return None
    return cohorts_for_gradebook(user).filter(pk=cohort_id).first()


def scheme_for(*, course_key: UUID) -> CourseGradingScheme | None:
    """The course's scheme with its weights and bands (three queries)."""
    return (
        CourseGradingScheme.objects.filter(course_key=course_key)
        .prefetch_related("weights", "bands")
        .first()
    )


def band_of(total: Decimal | None, bands: list[tuple[Decimal, str]]) -> str:
    """The label of the highest band whose lower bound the total reaches ("" if none)."""
    if total is None:
        return ""
    label = ""
    for bound, name in bands:
        if total >= bound:
            label = name
    return label


def course_total(
    cells: list[Cell], *, weights: dict[str, Decimal], due: dict, now: datetime
) -> Decimal | None:
    """The weighted mean of the cells' grades. A missing grade counts as 0 once its
    item is due, and not at all before; None when nothing counts yet."""
    points = Decimal(0)
    weight_sum = Decimal(0)
    for cell in cells:
        grade = cell.grade
        if grade is None:
            due_at = due.get(cell.item.key)
            if due_at is None or due_at > now:
                continue
            grade = Decimal(0)
        weight = weights.get(cell.item.key, DEFAULT_WEIGHT)
        points += weight * grade
        weight_sum += weight
    if not weight_sum:
        return None
    return (points / weight_sum).quantize(TWO_PLACES, ROUND_HALF_UP)


def _enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(cohort=cohort, status__in=VISIBLE_STATUSES)
        .select_related("learner")
        .order_by("learner__full_name", "pk")
    )


def cohort_gradebook(
    *,
    cohort: Cohort,
    enrolment: Enrolment | None = None,
    enrolments: list[Enrolment] | None = None,
    learner_view: bool = False,
    now: datetime | None = None,
) -> Gradebook:
    """The cohort's gradebook: every learner (or only ``enrolment``, or only
    ``enrolments``) × every graded item, with totals and bands.

    ``learner_view``: as the learner may see it: a grade a source has not released is
    left out of the cell and of the total (overrides of it too).
    """
    now = now or timezone.now()
    active = sources()
    by_source = [(source, source.items(cohort=cohort)) for source in active]
    items = [item for _source, source_items in by_source for item in source_items]
    scheme = scheme_for(course_key=cohort.course.translation_key)
    kind_weights = {w.kind: w.weight for w in scheme.weights.all()} if scheme else {}
    bands = sorted((b.lower_bound, b.label) for b in scheme.bands.all()) if scheme else []
    dates = cohort_dates(cohort=cohort)
    due = {
        item.key: dates.release(
            module_key=item.module_key, item_key=item.dated_key, now=now
        ).late_after
        for item in items
    }
    for item in items:
        item.weight = kind_weights.get(item.kind, DEFAULT_WEIGHT)
    book = Gradebook(
        cohort=cohort,
        items=items,
        weights={item.key: item.weight for item in items},
        due=due,
        bands=bands,
    )
    if enrolments is None:
        enrolments = [enrolment] if enrolment is not None else list(_enrolments(cohort))
    if not enrolments:
        return book
    learner_ids = [e.learner_id for e in enrolments]
    marks: dict[tuple[int, str], Decimal] = {}
    released: set[str] = set()
    for source, source_items in by_source:
        marks.update(source.marks(cohort=cohort, items=source_items, learner_ids=learner_ids))
        released |= source.released(items=source_items, now=now)
    overrides = {
        (o.enrolment_id, o.item_key): o
        for o in GradeOverride.objects.filter(enrolment__in=[e.pk for e in enrolments])
    }
    for learner_enrolment in enrolments:
        cells = []
        for item in items:
            source_grade = marks.get((learner_enrolment.learner_id, item.key))
            override = overrides.get((learner_enrolment.pk, item.key))
            cell = Cell(
                item=item,
                grade=override.grade if override else source_grade,
                source_grade=source_grade,
                override=override,
                released=item.key in released,
            )
            if learner_view and not cell.released:
                cell.grade = cell.source_grade = cell.override = None
            cells.append(cell)
        counted = [c for c in cells if c.released] if learner_view else cells
        total = course_total(counted, weights=book.weights, due=due, now=now)
        book.rows.append(
            Row(
                enrolment=learner_enrolment,
                cells=cells,
                total=total,
                band=band_of(total, bands),
            )
        )
    return book


def learner_enrolment(*, user, course_key: UUID) -> Enrolment | None:
    """The learner's own enrolment in the course (active or completed), else None."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(learner=user, course_key=course_key, status__in=VISIBLE_STATUSES)
        .select_related("cohort__course", "learner")
        .first()
    )


def cell_history(*, enrolment: Enrolment, item_key: str) -> list[GradeChange]:
    return list(
        GradeChange.objects.filter(enrolment=enrolment, item_key=item_key).select_related("actor")
    )


def enrolment_in_cohort(*, cohort: Cohort, enrolment_id: int) -> Enrolment | None:
    """A learner of the cohort by enrolment id; None for any other (a forged id)."""
    return _enrolments(cohort).filter(pk=enrolment_id).first()


def course_totals_for(
    *, enrolments: list[Enrolment], now: datetime | None = None
) -> dict[int, Decimal | None]:
    """Each learner's course total as they may see it (for their certificates), by
    enrolment id: one gradebook per cohort, however many learners it has."""
    by_cohort: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        by_cohort[enrolment.cohort_id].append(enrolment)
    totals: dict[int, Decimal | None] = {}
    for group in by_cohort.values():
        book = cohort_gradebook(
            cohort=group[0].cohort, enrolments=group, learner_view=True, now=now
        )
        totals.update((row.enrolment.pk, row.total) for row in book.rows)
    return totals
