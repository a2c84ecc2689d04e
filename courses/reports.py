"""Progress reports for trainers: learners × modules, by module and by region; and the
methodologists' translations report: each page of a course in each other language.

A report is built from a fixed number of queries, whatever the number of learners or
lessons: the progress report's figures from the database's counts for everyone, its
rows (as values, not model objects) only for the learners shown or exported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import islice

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from courses.models import Cohort, CoursePage, Enrolment, ItemCompletion, QuizPage
from courses.selectors import ModuleProgress, can_see_all_cohorts, course_items, falling_behind
from lms.models import Region
from lms.progress import Progress
from quizzes.models import Attempt

# Learners whose rows are built together when a report is read in full (its exports):
# each batch costs the same few queries, whatever its size.
ROWS_BATCH = 1000


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
    """One learner of the report: who, where, in which cohort, and how far along."""

    pk: int  # the enrolment's
    learner_id: int
    cohort_id: int
    full_name: str
    email: str
    region: str
    rural_district: str
    cohort: str
    status: str
    status_label: str
    cells: list[ModuleCell]
    extra: list[str] = field(default_factory=list)  # the cells of the report's columns
    behind: bool = False  # idle while others in the cohort move on (selectors.falling_behind)

    @property
    def done(self) -> int:
        return sum(cell.done for cell in self.cells)

    @property
    def required(self) -> int:
        return sum(cell.required for cell in self.cells)

    @property
    def percent(self) -> int:
        return Progress(done=self.done, total=self.required).percent


@dataclass
class Bar:
    label: str
    value: int  # percent, 0..100
    count: int = 0


@dataclass
class ReportColumn:
    """A column another app adds to the report (attendance, say): its label, and
    ``values(rows)``, the cells of a batch of rows (``LearnerRow``: an enrolment's pk,
    learner and cohort) by enrolment pk, in a fixed number of queries whatever the size
    of the batch."""

    label: str
    values: Callable[[list[LearnerRow]], dict[int, str]]


# What a row shows of each enrolment, read as values: thousands of learners, so no
# model objects, no password hashes, no dates nobody shows.
ROW_VALUES = {
    "full_name": F("learner__full_name"),
    "email": F("learner__email"),
    "region_id": F("learner__learner_profile__region"),
    "rural_district": F("learner__learner_profile__rural_district"),
    "cohort_name": F("cohort__name"),
}


class LearnerRows:
    """The learners of a report, by name, as rows built when asked for: a slice (a page
    of the report) or the whole in batches of ``ROWS_BATCH`` (its exports) costs a fixed
    number of queries, whatever the size of the cohort. Its length comes with the
    report's figures (``ProgressReport.learners``)."""

    def __init__(self, report: ProgressReport):
        self.report = report

    def __len__(self) -> int:
        return len(self.report.learners)

    def __getitem__(self, index: slice) -> list[LearnerRow]:
        return self.report.build_rows(list(self.report.row_values[index]))

    def __iter__(self) -> Iterator[LearnerRow]:
        values = self.report.row_values.iterator(chunk_size=ROWS_BATCH)
        while batch := list(islice(values, ROWS_BATCH)):
            yield from self.report.build_rows(batch)


class ProgressReport:
    """Every learner of some cohorts in a course, with their progress per module and
    whether they are falling behind.

    Everyone's figures (how many learners, the charts) come from a few numbers per
    learner; the rows, with the columns of other apps, only for the learners read
    (``rows``).
    """

    def __init__(
        self,
        *,
        course: CoursePage,
        modules: list[ModuleProgress],
        enrolments: QuerySet[Enrolment],
        behind: QuerySet[Enrolment],
        columns: list[ReportColumn],
    ):
        self.course = course
        self.modules = modules
        self.enrolments = enrolments
        self.behind = behind
        self.columns = [
            ReportColumn(label=str(_("Falling behind")), values=self._behind_cells),
            *columns,
        ]
        self.rows = LearnerRows(self)
        self.required_keys = [
            {item.key for item in module.items if item.required} for module in modules
        ]
        self.module_keys = [{item.key for item in module.items} for module in modules]

    @cached_property
    def learners(self) -> list[tuple[int | None, list[int]]]:
        """Each learner's region and required items done per module: one query, the
        database counting the completions (a module with nothing required has none)."""
        done = {
            f"done_{i}": Count("completions", filter=Q(completions__item_key__in=list(keys)))
            for i, keys in enumerate(self.required_keys)
            if keys
        }
        learners = (
            self.enrolments.order_by()
            .values("pk", "learner__learner_profile__region")
            .annotate(**done)
        )
        return [
            (
                row["learner__learner_profile__region"],
                [row.get(f"done_{i}", 0) for i in range(len(self.modules))],
            )
            for row in learners
        ]

    @property
    def by_module(self) -> list[Bar]:
        """Share of learners who have finished each module."""
        bars = []
        for i, (module, keys) in enumerate(zip(self.modules, self.required_keys, strict=True)):
            finished = Progress(
                done=sum(bool(keys) and done[i] >= len(keys) for _region, done in self.learners),
                total=len(self.learners),
            )
            bars.append(Bar(label=module.page.title, value=finished.percent, count=finished.done))
        return bars

    @property
    def by_region(self) -> list[Bar]:
        """Average progress of the learners of each region."""
        required = sum(len(keys) for keys in self.required_keys)
        groups: dict[str, list[int]] = defaultdict(list)
        for region_id, done in self.learners:
            percent = Progress(done=sum(done), total=required).percent
            groups[self.region_names.get(region_id, "") or "—"].append(percent)
        return [
            Bar(label=label, value=round(sum(values) / len(values)), count=len(values))
            for label, values in sorted(groups.items())
        ]

    @cached_property
    def region_names(self) -> dict[int, str]:
        """Each region's name in the active language (a few dozen, one query)."""
        return {region.pk: region.name for region in Region.objects.all()}

    @property
    def row_values(self) -> QuerySet:
        """What each row shows of the learners, in the report's order."""
        return self.enrolments.order_by("learner__full_name", "pk").values(
            "pk", "learner_id", "cohort_id", "status", **ROW_VALUES
        )

    @cached_property
    def quiz_modules(self) -> dict[int, set[int]]:
        """The module indexes of each quiz the course's live test pages give (one query)."""
        module_index = {module.page.path: i for i, module in enumerate(self.modules)}
        quiz_modules: dict[int, set[int]] = defaultdict(set)
        for path, quiz_id in (
            QuizPage.objects.descendant_of(self.course)
            .live()
            .filter(quiz__isnull=False)
            .values_list("path", "quiz_id")
        ):
            index = module_index.get(path[: -CoursePage.steplen])
            if index is not None:
                quiz_modules[quiz_id].add(index)
        return quiz_modules

    def build_rows(self, values: list[dict]) -> list[LearnerRow]:
        """The rows of these learners (``row_values``), in their order: completions,
        test results and each column's cells read for all of them at once."""
        counts = _module_counts(
            enrolment_ids=[value["pk"] for value in values],
            required_keys=self.required_keys,
            module_keys=self.module_keys,
        )
        scores = _test_scores(
            quiz_modules=self.quiz_modules, learners=[value["learner_id"] for value in values]
        )
        labels = {status: str(label) for status, label in Enrolment.Status.choices}
        rows = []
        for value in values:
            pk, learner_id = value["pk"], value["learner_id"]
            cells = []
            for i, keys in enumerate(self.required_keys):
                done, late = counts.get((pk, i), (0, 0))
                score = scores.get((learner_id, i))
                cells.append(ModuleCell(done=done, required=len(keys), score=score, late=late))
            rows.append(
                LearnerRow(
                    pk=pk,
                    learner_id=learner_id,
                    cohort_id=value["cohort_id"],
                    full_name=value["full_name"],
                    email=value["email"],
                    region=self.region_names.get(value["region_id"], ""),
                    rural_district=value["rural_district"] or "",
                    cohort=value["cohort_name"],
                    status=value["status"],
                    status_label=labels.get(value["status"], value["status"]),
                    cells=cells,
                )
            )
        if rows:
            columns = [column.values(rows) for column in self.columns]
            behind = columns[0]  # the report's own column: those falling behind
            for row in rows:
                row.extra = [cells_of.get(row.pk, "") for cells_of in columns]
                row.behind = row.pk in behind
        return rows

    def _behind_cells(self, rows: list[LearnerRow]) -> dict[int, str]:
        behind = self.behind.filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True)
        return dict.fromkeys(behind, str(_("behind")))


def progress_report(
    *,
    course: CoursePage,
    cohorts: QuerySet[Cohort],
    region: str | None = None,
    status: str | None = None,
    behind_only: bool = False,
) -> ProgressReport:
    """Every learner of ``cohorts`` in ``course``, with their progress per module and
    whether they are falling behind (``behind_only``: only those). Nothing is read but
    the course's structure until the report's figures or rows are."""
    enrolments = Enrolment.objects.filter(cohort__in=cohorts, course_key=course.translation_key)
    if region:
        enrolments = enrolments.filter(learner__learner_profile__region__code=region)
    if status:
        enrolments = enrolments.filter(status=status)
    behind = falling_behind(cohorts=cohorts).filter(course_key=course.translation_key)
    if behind_only:
        enrolments = enrolments.filter(pk__in=behind.values("pk"))
    # Columns of higher apps, each a ``progress_report_columns`` hook:
    # ``fn(*, course) -> ReportColumn | None``.
    columns = [fn(course=course) for fn in hooks.get_hooks("progress_report_columns")]
    return ProgressReport(
        course=course,
        modules=course_items(course=course),
        enrolments=enrolments,
        behind=behind,
        columns=[column for column in columns if column is not None],
    )


def _module_counts(
    *, enrolment_ids: list[int], required_keys: list[set], module_keys: list[set]
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
        ItemCompletion.objects.filter(enrolment__in=enrolment_ids)
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


def _test_scores(
    *, quiz_modules: dict[int, set[int]], learners: list[int]
) -> dict[tuple[int, int], Decimal]:
    """Best finished-attempt result per (learner, module index) in the modules' tests
    (``quiz_modules``: the module indexes of each quiz)."""
    if not quiz_modules or not learners:
        return {}
    scores: dict[tuple[int, int], Decimal] = {}
    best = (
        Attempt.objects.filter(
            quiz__in=list(quiz_modules),
            user__in=learners,
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
