"""Progress reports for trainers: learners × modules, by module and by region; and the
methodologists' translations report: each page of a course in each other language.

A report is built from a fixed number of queries (course structure, enrolments with
profiles, completions), whatever the number of learners or lessons.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from courses.models import Cohort, CoursePage, Enrolment, ItemCompletion, QuizPage
from courses.selectors import ModuleProgress, can_see_all_cohorts, course_items, falling_behind
from lms.progress import Progress
from quizzes.models import Attempt


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    """Trainers see the cohorts they teach; methodologists, registrars and admins all."""
    cohorts = Cohort.objects.select_related("course")
    if can_see_all_cohorts(user):
        return cohorts
    return cohorts.filter(trainers=user)


@dataclass
class ModuleCell:
    done: int
    required: int
    score: Decimal | None = None  # best result in the module's tests, in percent
    late: int = 0  # items done after they were due for the cohort

    @property
    def state(self) -> str:
        if self.required and self.done >= self.required:
            return "done"
        return "in_progress" if self.done else "not_started"

    @property
    def percent(self) -> int:
        return Progress(done=self.done, total=self.required).percent


@dataclass
class LearnerRow:
    enrolment: Enrolment
    cells: list[ModuleCell]
    done: int
    required: int
    extra: list[str] = field(default_factory=list)  # the cells of the report's columns
    behind: bool = False  # idle while others in the cohort move on (selectors.falling_behind)

    @property
    def percent(self) -> int:
        return Progress(done=self.done, total=self.required).percent

    @property
    def region(self) -> str:
        profile = getattr(self.enrolment.learner, "learner_profile", None)
        return profile.region.name if profile and profile.region else ""


@dataclass
class Bar:
    label: str
    value: int  # percent, 0..100
    count: int = 0


@dataclass
class ReportColumn:
    """A column another app adds to the report (attendance, say): a value per enrolment."""

    label: str
    values: dict[int, str]

    def cell(self, enrolment: Enrolment) -> str:
        return self.values.get(enrolment.pk, "")


@dataclass
class ProgressReport:
    course: CoursePage
    modules: list[ModuleProgress]
    rows: list[LearnerRow] = field(default_factory=list)
    columns: list[ReportColumn] = field(default_factory=list)

    @property
    def by_module(self) -> list[Bar]:
        """Share of learners who have finished each module."""
        bars = []
        for i, module in enumerate(self.modules):
            finished = Progress(
                done=sum(r.cells[i].state == "done" for r in self.rows), total=len(self.rows)
            )
            bars.append(Bar(label=module.page.title, value=finished.percent, count=finished.done))
        return bars

    @property
    def by_region(self) -> list[Bar]:
        """Average progress of the learners of each region."""
        groups: dict[str, list[int]] = defaultdict(list)
        for row in self.rows:
            groups[row.region or "—"].append(row.percent)
        return [
            Bar(label=label, value=round(sum(values) / len(values)), count=len(values))
            for label, values in sorted(groups.items())
        ]


# What the report, its exports and its columns read of each enrolment: thousands of
# rows, so no password hashes, no dates nobody shows.
REPORT_ENROLMENT_FIELDS = (
    "id",
    "status",
    "learner_id",
    "cohort",
    "learner__id",
    "learner__full_name",
    "learner__email",
    "learner__learner_profile__id",
    "learner__learner_profile__rural_district",
    "learner__learner_profile__region",
)


def progress_report(
    *,
    course: CoursePage,
    cohorts: QuerySet[Cohort],
    region: str | None = None,
    status: str | None = None,
    behind_only: bool = False,
) -> ProgressReport:
    """Every learner of ``cohorts`` in ``course``, with their progress per module and
    whether they are falling behind (``behind_only``: only those)."""
    modules = course_items(course=course)
    required_keys = [{item.key for item in module.items if item.required} for module in modules]
    module_keys = [{item.key for item in module.items} for module in modules]
    enrolments = (
        Enrolment.objects.filter(cohort__in=cohorts, course_key=course.translation_key)
        .select_related("learner", "learner__learner_profile__region", "cohort")
        .only(*REPORT_ENROLMENT_FIELDS)
        .order_by("learner__full_name")
    )
    if region:
        enrolments = enrolments.filter(learner__learner_profile__region__code=region)
    if status:
        enrolments = enrolments.filter(status=status)
    behind = falling_behind(cohorts=cohorts).filter(course_key=course.translation_key)
    if behind_only:
        enrolments = enrolments.filter(pk__in=behind.values("pk"))
    behind_ids = set(behind.values_list("pk", flat=True))
    scores = _test_scores(course=course, modules=modules, enrolments=enrolments)
    counts = _module_counts(
        enrolments=enrolments, required_keys=required_keys, module_keys=module_keys
    )
    report = ProgressReport(course=course, modules=modules)
    for enrolment in enrolments:
        cells = []
        for index, keys in enumerate(required_keys):
            done, late = counts.get((enrolment.pk, index), (0, 0))
            score = scores.get((enrolment.learner_id, index))
            cells.append(ModuleCell(done=done, required=len(keys), score=score, late=late))
        report.rows.append(
            LearnerRow(
                enrolment=enrolment,
                cells=cells,
                done=sum(c.done for c in cells),
                required=sum(c.required for c in cells),
                behind=enrolment.pk in behind_ids,
            )
        )
    report.columns.append(
        ReportColumn(
            label=str(_("Falling behind")),
            values={pk: str(_("behind")) for pk in behind_ids},
        )
    )
    # Columns of higher apps, each a ``progress_report_columns`` hook:
    # ``fn(*, report, enrolments) -> ReportColumn | None``.
    for fn in hooks.get_hooks("progress_report_columns"):
        column = fn(report=report, enrolments=enrolments)
        if column is not None:
            report.columns.append(column)
    for row in report.rows:
        row.extra = [column.cell(row.enrolment) for column in report.columns]
    return report


def _module_counts(
    *, enrolments: QuerySet[Enrolment], required_keys: list[set], module_keys: list[set]
) -> dict[tuple[int, int], tuple[int, int]]:
    """Per (enrolment, module index): required items done and items done late.

    One grouped query: the database counts the completions of each learner in each
    module, so the report reads a row per learner and module, not one per completion.
    """
    module_of = Case(
        *(
            When(item_key__in=list(keys), then=Value(index))
            for index, keys in enumerate(module_keys)
            if keys
        ),
        default=None,
        output_field=IntegerField(),
    )
    if not module_of.cases:
        return {}
    required = [key for keys in required_keys for key in keys]
    rows = (
        ItemCompletion.objects.filter(enrolment__in=enrolments.values("pk"))
        .annotate(module=module_of)
        .filter(module__isnull=False)
        .order_by()
        .values("enrolment_id", "module")
        .annotate(
            done=Count("pk", filter=Q(item_key__in=required)),
            late=Count("pk", filter=Q(late=True)),
        )
        .values_list("enrolment_id", "module", "done", "late")
    )
    return {(enrolment_id, module): (done, late) for enrolment_id, module, done, late in rows}


def _test_scores(*, course: CoursePage, modules, enrolments) -> dict[tuple[int, int], Decimal]:
    """Best finished-attempt result per (learner, module index) for the modules' tests."""
    module_index = {module.page.path: i for i, module in enumerate(modules)}
    quiz_modules: dict[int, set[int]] = defaultdict(set)
    for path, quiz_id in (
        QuizPage.objects.descendant_of(course)
        .live()
        .filter(quiz__isnull=False)
        .values_list("path", "quiz_id")
    ):
        index = module_index.get(path[: -CoursePage.steplen])
        if index is not None:
            quiz_modules[quiz_id].add(index)
    if not quiz_modules:
        return {}
    scores: dict[tuple[int, int], Decimal] = {}
    best = (
        Attempt.objects.filter(
            quiz__in=list(quiz_modules),
            user__in=enrolments.values("learner"),
            state=Attempt.State.FINISHED,
            percent__isnull=False,
        )
        .values("user_id", "quiz_id")
        .annotate(best=Max("percent"))
    )
    for row in best:
        for index in quiz_modules[row["quiz_id"]]:
            key = (row["user_id"], index)
            scores[key] = max(scores.get(key, row["best"]), row["best"])
    return scores


class TranslationState(models.TextChoices):
    MISSING = "missing", _("missing")
    DRAFT = "draft", _("draft")
    OUT_OF_DATE = "out_of_date", _("out of date")
    UP_TO_DATE = "up_to_date", _("up to date")


@dataclass
class TranslationCell:
    language: str
    state: TranslationState
    translation_id: int | None = None  # the page in that language, where there is one


@dataclass
class TranslationRow:
    page: Page  # in the source language
    cells: list[TranslationCell]


@dataclass
class TranslationReport:
    course: CoursePage  # the copy the others translate from
    languages: list[str]  # the other languages, as their codes
    rows: list[TranslationRow]

    def filtered(self, *, state: str = "", language: str = "") -> list[TranslationRow]:
        """The rows with a cell in ``state`` (for ``language``, when given)."""
        return [
            row
            for row in self.rows
            if any(
                (not state or cell.state == state) and (not language or cell.language == language)
                for cell in row.cells
            )
        ]

    @property
    def totals(self) -> dict[str, dict[str, int]]:
        """How many pages are in each state, per language."""
        counts = {
            language: dict.fromkeys(TranslationState.values, 0) for language in self.languages
        }
        for row in self.rows:
            for cell in row.cells:
                counts[cell.language][cell.state] += 1
        return counts


def courses_to_translate(user) -> QuerySet[CoursePage]:
    """One copy of each course the user may edit, for choosing a report."""
    from wagtail.permissions import page_permission_policy

    first_copies = CoursePage.objects.values("translation_key").annotate(first=Min("pk"))
    editable = page_permission_policy.instances_user_has_any_permission_for(user, ["change"])
    return CoursePage.objects.filter(
        pk__in=first_copies.values("first"), path__in=editable.values("path")
    ).order_by("title")


def translation_source_course(course: CoursePage) -> CoursePage:
    """The copy of the course its translations are made from: the one wagtail-localize
    took as the source, else the first one made."""
    copies = CoursePage.objects.filter(translation_key=course.translation_key)
    sourced = TranslationSource.objects.filter(
        object_id=course.translation_key, locale_id=models.OuterRef("locale_id")
    )
    return copies.order_by(~models.Exists(sourced), "pk").first()


def _state(source: Page, copy: dict | None) -> TranslationState:
    if copy is None:
        return TranslationState.MISSING
    if not copy["live"]:
        return TranslationState.DRAFT
    published = copy["last_published_at"]
    if source.last_published_at and (published is None or source.last_published_at > published):
        return TranslationState.OUT_OF_DATE
    return TranslationState.UP_TO_DATE


REPORT_PAGE_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "translation_key",
    "content_type",
    "last_published_at",
)


def translation_report(*, course: CoursePage) -> TranslationReport:
    """Each page of the course's source tree in each other language: missing, a draft,
    out of date (the source published since the translation last was) or up to date.

    Four queries, whatever the size of the course.
    """
    source = translation_source_course(course)
    pages = list(
        Page.objects.descendant_of(source, inclusive=True)
        .order_by("path")
        .only(
            "id", "path", "depth", "title", "translation_key", "content_type", "last_published_at"
        )
    )
    locales = dict(Locale.objects.exclude(pk=source.locale_id).values_list("pk", "language_code"))
    order = [code for code, _name in settings.LANGUAGES]
    languages = sorted(locales.values(), key=order.index)
    copies = {
        (row["translation_key"], locales[row["locale_id"]]): row
        for row in Page.objects.filter(
            translation_key__in=Page.objects.descendant_of(source, inclusive=True).values(
                "translation_key"
            ),
            locale_id__in=list(locales),
        ).values("id", "translation_key", "locale_id", "live", "last_published_at")
    }
    rows = []
    for page in pages:
        cells = []
        for language in languages:
            copy = copies.get((page.translation_key, language))
            cells.append(
                TranslationCell(
                    language=language,
                    state=_state(page, copy),
                    translation_id=copy["id"] if copy else None,
                )
            )
        rows.append(TranslationRow(page=page, cells=cells))
    return TranslationReport(course=source, languages=languages, rows=rows)
