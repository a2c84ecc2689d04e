"""Reads: whom to ask, and the results by cohort and by trainer.

Results are built from a fixed number of queries whatever the number of responses,
cohorts or trainers, and a group (a cohort, a trainer) with fewer than
``MIN_RESPONSES`` responses shows nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db.models import Count, QuerySet
from django.utils.translation import get_language

from courses.models import Cohort, CoursePage, Enrolment
from courses.reports import Bar
from courses.selectors import can_see_all_cohorts
from evaluations.forms import likert_choices
from evaluations.models import (
    LIKERT_SCORES,
    MIN_RESPONSES,
    Answer,
    Response,
    Survey,
    SurveyInvitation,
    SurveyItem,
)
from lms.models import User


def invitation_for(*, user, course_key: UUID) -> SurveyInvitation | None:
    """The learner's own invitation for the course, once they have completed it (one
    query); None for anyone else."""
    if not user.is_authenticated:
        return None
    return (
        SurveyInvitation.objects.select_related("survey", "enrolment__cohort")
        .filter(
            enrolment__learner=user,
            enrolment__course_key=course_key,
            enrolment__status=Enrolment.Status.COMPLETED,
            survey__is_open=True,
        )
        .first()
    )


def pending_surveys(*, user) -> list[dict]:
    """The courses the learner completed and has not evaluated yet, with their titles
    in the active language where there is a copy in it: one query, two when any."""
    keys = list(
        SurveyInvitation.objects.filter(
            enrolment__learner=user,
            enrolment__status=Enrolment.Status.COMPLETED,
            answered=False,
            survey__is_open=True,
        ).values_list("survey__course_key", flat=True)
    )
    titles = course_titles(keys=keys) if keys else {}
    return [{"course_key": key, "title": titles.get(key, "")} for key in keys]


def course_titles(*, keys) -> dict[UUID, str]:
    """Each course's title in the active language, else in any of its copies (one
    query)."""
    language = (get_language() or "ru")[:2]
    titles: dict[UUID, str] = {}
    for key, title, code in CoursePage.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "title", "locale__language_code"
    ):
        if code == language or key not in titles:
            titles[key] = title
    return titles


def surveys_visible_to(user) -> QuerySet[Survey]:
    """Surveys of the courses of the cohorts the user may see."""
    surveys = Survey.objects.select_related("course").order_by("course__title")
    if can_see_all_cohorts(user):
        return surveys
    return surveys.filter(
        course_key__in=Cohort.objects.filter(trainers=user).values("course__translation_key")
    )


@dataclass
class ItemResult:
    item: SurveyItem
    counts: dict[int, int] = field(default_factory=dict)  # score → answers
    texts: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> Decimal | None:
        if not self.answered:
            return None
        total = sum(score * n for score, n in self.counts.items())
        return (Decimal(total) / self.answered).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def distribution(self) -> list[tuple[int, int, int]]:
        """(score, answers, percent of the item's answers) for 1..5."""
        answered = self.answered or 1
        return [
            (score, self.counts.get(score, 0), round(100 * self.counts.get(score, 0) / answered))
            for score in LIKERT_SCORES
        ]

    @property
    def bars(self) -> list[Bar]:
        """The distribution for ``base/bar_chart.html``, the ends with their labels."""
        return [
            Bar(label=label, value=percent, count=n)
            for (_value, label), (_score, n, percent) in zip(
                likert_choices(self.item), self.distribution, strict=True
            )
        ]


@dataclass
class GroupResult:
    kind: str  # "cohort" or "trainer"
    label: str
    responses: int
    items: list[ItemResult] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_RESPONSES


@dataclass
class SurveyResults:
    survey: Survey
    cohorts: list[GroupResult]
    trainers: list[GroupResult]


def _fill(groups: dict, answers, texts) -> None:
    """Put score counts and texts, keyed by group, into each shown group's items."""
    for group_key, item_id, score, n in answers:
        group = groups.get(group_key)
        if group is not None and item_id in group:
            group[item_id].counts[score] = n
    for group_key, item_id, text in texts:
        group = groups.get(group_key)
        if group is not None and item_id in group:
            group[item_id].texts.append(text)


def _group_results(*, kind, labels, counts, items, answers, texts) -> list[GroupResult]:
    results, by_key = [], {}
    for key, label in labels:
        group = GroupResult(kind=kind, label=label, responses=counts.get(key, 0))
        if group.shown:
            group.items = [ItemResult(item=item) for item in items]
            by_key[key] = {result.item.pk: result for result in group.items}
        results.append(group)
    _fill(by_key, answers, texts)
    return results


def survey_results(*, survey: Survey, user) -> SurveyResults:
    """The survey's results for the cohorts ``user`` may see, per cohort and per
    trainer; a trainer sees their own results only.

    A trainer's results count only the responses of cohorts that are shown themselves,
    so no difference between the two views lets a small cohort's answers be read off.
    Free texts come in alphabetical order, never in the order they were given.
    """
    language = (get_language() or "ru")[:2]
    items = list(survey.items.all())
    cohorts = list(
        Cohort.objects.filter(course__translation_key=survey.course_key)
        .filter(pk__in=_visible_cohort_ids(user))
        .order_by("-starts_on", "name")
    )
    responses = Response.objects.filter(survey=survey, cohort__in=cohorts)
    cohort_counts = dict(
        responses.values("cohort").annotate(n=Count("id")).values_list("cohort", "n")
    )
    shown = [pk for pk, n in cohort_counts.items() if n >= MIN_RESPONSES]
    answers = Answer.objects.filter(response__survey=survey, response__cohort__in=shown)
    scored = answers.filter(score__isnull=False).order_by()
    written = answers.exclude(text="").order_by("text")
    cohort_results = _group_results(
        kind="cohort",
        labels=[(cohort.pk, cohort.name_in(language)) for cohort in cohorts],
        counts=cohort_counts,
        items=items,
        answers=scored.values("response__cohort", "item", "score")
        .annotate(n=Count("id"))
        .values_list("response__cohort", "item", "score", "n"),
        texts=written.values_list("response__cohort", "item", "text"),
    )

    trainer_responses = Response.objects.filter(survey=survey, cohort__in=shown)
    trainer_answers = answers
    if not can_see_all_cohorts(user):
        trainer_responses = trainer_responses.filter(trainers=user)
        trainer_answers = answers.filter(response__trainers=user)
    trainer_counts = {
        pk: n
        for pk, n in trainer_responses.exclude(trainers=None)
        .values("trainers")
        .annotate(n=Count("id"))
        .values_list("trainers", "n")
        # A trainer's co-trainers stay out of their view (whatever join the ORM picks).
        if can_see_all_cohorts(user) or pk == user.pk
    }
    trainers = User.objects.filter(pk__in=trainer_counts).order_by("full_name")
    trainer_results = _group_results(
        kind="trainer",
        labels=[(trainer.pk, trainer.full_name or trainer.email) for trainer in trainers],
        counts=trainer_counts,
        items=items,
        answers=trainer_answers.filter(score__isnull=False)
        .order_by()
        .values("response__trainers", "item", "score")
        .annotate(n=Count("id"))
        .values_list("response__trainers", "item", "score", "n"),
        texts=trainer_answers.exclude(text="")
        .order_by("text")
        .values_list("response__trainers", "item", "text"),
    )
    return SurveyResults(survey=survey, cohorts=cohort_results, trainers=trainer_results)


def _visible_cohort_ids(user) -> QuerySet:
    cohorts = Cohort.objects.all()
    if not can_see_all_cohorts(user):
        cohorts = cohorts.filter(trainers=user)
    return cohorts.values("pk")
