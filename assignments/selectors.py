"""Reads: the learner's view of an assignment, the trainer's queue, marks for others.

For the gradebook (which imports nothing of this app's internals but this):

``cohort_marks(*, cohort) -> dict[tuple[int, UUID], Decimal]``
    ``(learner id, assignment translation key) → percentage 0–100`` of the latest
    *marked* version of each learner's work in the cohort (returned or waiting work
    has no mark). One query, whatever the number of learners.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from assignments.models import (
    FILE_KINDS,
    AssignmentPage,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from courses.models import Cohort, CoursePage, Enrolment
from courses.reports import cohorts_visible_to


def submissions_visible_to(user) -> QuerySet[Submission]:
    """Submissions of the cohorts the person teaches (every cohort for staff who may see
    them all). The one rule the queue, the marking screen and file downloads go by."""
    return Submission.objects.filter(enrolment__cohort__in=cohorts_visible_to(user).values("pk"))


def may_mark(user) -> bool:
    return user.is_authenticated and (
        user.has_perm("assignments.mark_submission") or user.has_perm("courses.view_all_cohorts")
    )


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=SubmissionVersion.objects.select_related("marked_by").prefetch_related(
            Prefetch("files", queryset=SubmissionFile.objects.order_by("pk"))
        ),
    )


def learner_view(*, page: AssignmentPage, enrolment: Enrolment | None) -> dict:
    """What the assignment page shows its learner: their work (the draft and its files,
    every version handed in with its feedback) — three queries, whatever the history."""
    accepted = [FILE_KINDS[kind][0] for kind in page.accepted_kinds]
    context = {
        "accepted_labels": accepted,
        "accept_attr": ",".join(page.accepted_extensions),
        "submission": None,
        "draft_files": [],
        "versions": [],
    }
    if enrolment is None:
        return context
    submission = (
        Submission.objects.filter(enrolment=enrolment, assignment_key=page.translation_key)
        .prefetch_related(
            _versions_prefetch(),
            Prefetch(
                "files",
                queryset=SubmissionFile.objects.filter(version__isnull=True, feedback=False),
                to_attr="draft",
            ),
        )
        .first()
    )
    if submission is not None:
        context["submission"] = submission
        context["draft_files"] = submission.draft
        context["versions"] = list(reversed(submission.versions.all()))
    return context


def file_for(*, user, file_id: int) -> SubmissionFile | None:
    """A handed-in or feedback file the person may download: the learner's own, their
    cohort trainers', staff's who see every cohort. None for anyone else."""
    files = SubmissionFile.objects.select_related("submission")
    if not user.is_authenticated:
        return None
    own = files.filter(pk=file_id, submission__enrolment__learner=user).first()
    if own is not None:
        return own
    if not may_mark(user):
        return None
    return files.filter(pk=file_id, submission__in=submissions_visible_to(user)).first()


@dataclass
class QueueRow:
    submission: Submission
    title: str
    latest: SubmissionVersion | None


def queue(*, user, cohort: Cohort | None = None, assignment_key: UUID | None = None, state=None):
    """The work of the person's cohorts, oldest hand-in first (waiting work by default),
    with the learner, cohort and assignment title (one query)."""
    title = AssignmentPage.objects.filter(translation_key=OuterRef("assignment_key")).order_by("pk")
    rows = (
        submissions_visible_to(user)
        .exclude(state=Submission.State.DRAFT)
        .select_related("enrolment__learner", "enrolment__cohort")
        .annotate(title=Subquery(title.values("title")[:1]))
        .order_by("submitted_at", "pk")
    )
    rows = rows.filter(state=state or Submission.State.SUBMITTED)
    if cohort is not None:
        rows = rows.filter(enrolment__cohort=cohort)
    if assignment_key is not None:
        rows = rows.filter(assignment_key=assignment_key)
    return rows


def assignments_of(cohorts) -> list[tuple[UUID, str]]:
    """(key, title) of the assignments in the courses of ``cohorts`` (for the queue's
    filter; one query)."""
    courses = CoursePage.objects.filter(pk__in=cohorts.values("course"))
    paths = list(courses.values_list("path", flat=True))
    seen: dict[UUID, str] = {}
    if not paths:
        return []
    from django.db.models import Q

    rule = Q()
    for path in paths:
        rule |= Q(path__startswith=path)
    for key, title in (
        AssignmentPage.objects.filter(rule).order_by("path").values_list("translation_key", "title")
    ):
        seen.setdefault(key, title)
    return list(seen.items())


def cohort_marks(*, cohort: Cohort) -> dict[tuple[int, UUID], Decimal]:
    """(learner id, assignment key) → percentage 0–100 of the latest marked version
    (one query)."""
    later_marked = SubmissionVersion.objects.filter(
        submission=OuterRef("submission"),
        outcome=SubmissionVersion.Outcome.MARKED,
        number__gt=OuterRef("number"),
    )
    rows = (
        SubmissionVersion.objects.filter(
            submission__enrolment__cohort=cohort,
            outcome=SubmissionVersion.Outcome.MARKED,
            max_points__gt=0,
        )
        .exclude(Exists(later_marked))
        .values_list(
            "submission__enrolment__learner_id",
            "submission__assignment_key",
            "points",
            "max_points",
        )
    )
    return {
        (learner, key): (points * 100 / top).quantize(Decimal("0.01"))
        for learner, key, points, top in rows
    }
