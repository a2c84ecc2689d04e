"""Writes: a learner's draft, files and hand-ins; a trainer's return and mark.

The learner's text is saved before any file is looked at, so a refused file never
costs what was typed. Handing in twice (a double click, a retried POST on a slow
link) makes one version: the second call finds the work already handed in and
returns that version. Points are worked out here from the rubric levels chosen, never
taken from a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments import files as file_checks
from assignments.models import AssignmentPage, Submission, SubmissionFile, SubmissionVersion
from base.text import strip_markup
from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import Enrolment, ItemCompletion
from lms.security import log_event
from notifications.services import Message, notify

# The notification events (registered in wagtail_hooks.py).
RETURNED = "assignment_returned"
MARKED = "assignment_marked"

TEXT_MAX_CHARS = 20_000


class AssignmentError(Exception):
    """Something the assignment's rules refuse; views decide how the learner is told."""


class NotOpen(AssignmentError):
    """The learner's cohort has not opened the assignment yet."""


class NotEditable(AssignmentError):
    """The work is handed in (waiting for the trainer) or marked: nothing to change."""


def _enrolment(*, learner, page: AssignmentPage, now: datetime | None = None):
    course = course_selectors.course_of(page)
    enrolment = course and course_selectors.enrolment_for(user=learner, course=course)
    if not enrolment:
        raise course_services.NotEnrolled
    release, _dates = course_selectors.item_release(enrolment=enrolment, page=page, now=now)
    if release.locked:
        raise NotOpen
    return enrolment, course, release


def _submission(enrolment: Enrolment, page: AssignmentPage, *, lock: bool) -> Submission:
    rows = Submission.objects.filter(enrolment=enrolment, assignment_key=page.translation_key)
    if lock:
        rows = rows.select_for_update()
    submission = rows.first()
    if submission is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    enrolment=enrolment, assignment_key=page.translation_key
                )
        except IntegrityError:  # made by a concurrent request
            submission = rows.get()
    return submission


@transaction.atomic
def draft_save(*, learner, page: AssignmentPage, text: str) -> Submission:
    """Keep the learner's text as their draft (plain text; markup removed).

    Refused (``NotEditable``) while the work waits for the trainer or is marked."""
    enrolment, _course, _release = _enrolment(learner=learner, page=page)
    submission = _submission(enrolment, page, lock=True)
    if not submission.editable:
        raise NotEditable
    if page.text_answer == AssignmentPage.TextAnswer.NONE:
        return submission
    clean = strip_markup(text or "")[:TEXT_MAX_CHARS]
    if clean != submission.text:
        submission.text = clean
        submission.save(update_fields=["text", "updated_at"])
    return submission


@transaction.atomic
def file_add(*, learner, page: AssignmentPage, upload) -> SubmissionFile:
    """Attach a file to the learner's draft, once its content is checked
    (``ValidationError`` with the reason otherwise, and nothing stored)."""
    enrolment, _course, _release = _enrolment(learner=learner, page=page)
    submission = _submission(enrolment, page, lock=True)
    if not submission.editable:
        raise NotEditable
    if submission.files.filter(version__isnull=True, feedback=False).count() >= page.max_files:
        raise ValidationError(
            _("You can hand in at most %(count)s files here. Remove one first.")
            % {"count": page.max_files}
        )
    kind = file_checks.check_upload(
        upload, accepted=page.accepted_kinds, max_bytes=page.max_file_bytes
    )
    return _store(submission, upload, kind=kind)


def _store(submission: Submission, upload, *, kind: str, **fields) -> SubmissionFile:
    name = strip_markup(PurePath(upload.name).name)[:200] or kind
    stored = SubmissionFile(submission=submission, name=name, kind=kind, size=upload.size, **fields)
    stored.file.save(name, upload, save=False)
    stored.save()
    return stored


@transaction.atomic
def file_remove(*, learner, file_id: int) -> None:
    """Take a file out of the learner's own draft (files handed in stay)."""
    stored = (
        SubmissionFile.objects.select_related("submission")
        .filter(
            pk=file_id,
            version__isnull=True,
            feedback=False,
            submission__enrolment__learner=learner,
        )
        .first()
    )
    if stored is None:
        raise SubmissionFile.DoesNotExist
    if not stored.submission.editable:
        raise NotEditable
    name = stored.file.name
    stored.delete()
    if not SubmissionFile.objects.filter(file=name).exists():
        # handed-in versions may share the stored file: only an orphan is deleted
        transaction.on_commit(lambda: stored.file.storage.delete(name))


@transaction.atomic
def submission_submit(
    *, learner, page: AssignmentPage, now: datetime | None = None
) -> SubmissionVersion:
    """Hand in the draft as a new version (its text and files, kept as they are).

    Idempotent: if the work is already handed in or marked, the latest version is
    returned and nothing changes. Late when after the cohort's due date."""
    now = now or timezone.now()
    enrolment, _course, release = _enrolment(learner=learner, page=page, now=now)
    submission = _submission(enrolment, page, lock=True)
    if not submission.editable:
        latest = submission.versions.order_by("-number").first()
        if latest is not None:
            return latest
        raise NotEditable
    draft_files = list(submission.files.filter(version__isnull=True, feedback=False))
    if page.text_answer == AssignmentPage.TextAnswer.REQUIRED and not submission.text.strip():
        raise ValidationError(_("Write your answer before handing it in."))
    if not submission.text.strip() and not draft_files:
        raise ValidationError(_("There is nothing to hand in yet: add text or a file."))
    number = submission.versions.count() + 1
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        text=submission.text,
        submitted_at=now,
        late=release.is_late(now),
    )
    SubmissionFile.objects.filter(pk__in=[f.pk for f in draft_files]).update(version=version)
    submission.state = Submission.State.SUBMITTED
    submission.submitted_at = now
    submission.save(update_fields=["state", "submitted_at", "updated_at"])
    log_event("assignment_submit", actor=learner.pk, submission=submission.pk, version=number)
    return version


@dataclass
class MarkResult:
    points: Decimal
    max_points: Decimal
    levels: list[dict]


def rubric_points(*, page: AssignmentPage, levels: dict[str, str]) -> MarkResult:
    """Points from the level chosen for each criterion (criterion id → level index):
    every criterion must have one; an unknown level is refused."""
    chosen, total, best = [], Decimal(0), Decimal(0)
    for criterion in page.criteria:
        options = list(criterion.value["levels"])
        raw = levels.get(criterion.id)
        try:
            index = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                _("Choose a level for “%(criterion)s”.") % {"criterion": criterion.value["title"]}
            ) from None
        if not 0 <= index < len(options):
            raise ValidationError(_("That level is not in the rubric."))
        level = options[index]
        top = max(option["points"] for option in options)
        chosen.append(
            {
                "criterion_id": criterion.id,
                "criterion": criterion.value["title"],
                "level_index": index,
                "level": level["label"],
                "points": str(level["points"]),
                "max": str(top),
            }
        )
        total += level["points"]
        best += top
    return MarkResult(points=total, max_points=best, levels=chosen)


def _latest_for_marking(submission: Submission) -> tuple[Submission, SubmissionVersion]:
    """The submission, locked, and its latest version, if it waits for marking (two
    trainers marking at once: the second finds it marked and changes nothing)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != Submission.State.SUBMITTED:
        raise NotEditable
    return submission, submission.versions.order_by("-number").first()


def _feedback(submission, version, upload, page: AssignmentPage) -> None:
    if upload is None:
        return
    kind = file_checks.check_upload(
        upload, accepted=list(file_checks.FILE_KINDS), max_bytes=page.max_file_bytes
    )
    _store(submission, upload, kind=kind, version=version, feedback=True)


@transaction.atomic
def submission_return(
    *, submission: Submission, page: AssignmentPage, marker, comment: str, feedback_file=None
) -> SubmissionVersion:
    """Send the latest version back for revision with the trainer's comment (and an
    annotated file). The learner's next draft starts from what they handed in."""
    submission, version = _latest_for_marking(submission)
    _feedback(submission, version, feedback_file, page)
    version.outcome = SubmissionVersion.Outcome.RETURNED
    version.comment = strip_markup(comment or "")[:TEXT_MAX_CHARS]
    version.marked_by, version.marked_at = marker, timezone.now()
    version.save()
    for stored in version.files.filter(feedback=False):  # the same stored files, shared
        SubmissionFile.objects.create(
            submission=submission,
            file=stored.file.name,
            name=stored.name,
            kind=stored.kind,
            size=stored.size,
        )
    submission.state = Submission.State.RETURNED
    submission.text = version.text
    submission.save(update_fields=["state", "text", "updated_at"])
    log_event("assignment_return", actor=marker.pk, submission=submission.pk)
    _notify(submission, version, event=RETURNED)
    return version


@transaction.atomic
def submission_mark(
    *,
    submission: Submission,
    page: AssignmentPage,
    marker,
    comment: str,
    levels: dict[str, str] | None = None,
    points: Decimal | None = None,
    feedback_file=None,
) -> SubmissionVersion:
    """Mark the latest version: by rubric (``levels``: criterion id → level index) or
    a simple mark (``points``, 0 to the page's mark). At or above the pass mark the
    assignment counts as done in the learner's progress (late if handed in late)."""
    submission, version = _latest_for_marking(submission)
    if page.marking == AssignmentPage.Marking.RUBRIC:
        result = rubric_points(page=page, levels=levels or {})
    else:
        if points is None or not Decimal(0) <= points <= page.max_points:
            raise ValidationError(_("Give a mark from 0 to %(max)s.") % {"max": page.max_points})
        result = MarkResult(points=points, max_points=page.max_points, levels=[])
    _feedback(submission, version, feedback_file, page)
    version.outcome = SubmissionVersion.Outcome.MARKED
    version.points, version.max_points = result.points, result.max_points
    version.rubric_levels = result.levels
    version.comment = strip_markup(comment or "")[:TEXT_MAX_CHARS]
    version.marked_by, version.marked_at = marker, timezone.now()
    version.save()
    submission.state = Submission.State.MARKED
    submission.save(update_fields=["state", "updated_at"])
    log_event(
        "assignment_mark", actor=marker.pk, submission=submission.pk, points=str(result.points)
    )
    if result.points >= page.pass_mark:
        enrolment = submission.enrolment
        course = course_selectors.course_of(page)
        course_services.item_complete(
            enrolment=enrolment,
            course=course,
            item_key=submission.assignment_key,
            source=ItemCompletion.Source.ASSIGNMENT,
            late=version.late,
        )
    _notify(submission, version, event=MARKED)
    return version


def _notify(submission: Submission, version: SubmissionVersion, *, event: str) -> None:
    page = (
        AssignmentPage.objects.filter(translation_key=submission.assignment_key, live=True)
        .order_by("pk")
        .first()
    )
    learner = submission.enrolment.learner

    def message(user) -> Message:
        localized = page.localized if page else None
        values = {"title": localized.title if localized else ""}
        if event == RETURNED:
            subject = _("Your work on %(title)s was returned for revision") % values
            body = _("A trainer has read your work on %(title)s and asks you to revise it.")
        else:
            subject = _("Your work on %(title)s has been marked") % values
            body = _("A trainer has marked your work on %(title)s. Open it to see the feedback.")
        return Message(subject=subject, body=body % values, url=localized.url if localized else "")

    transaction.on_commit(
        lambda: notify(
            event=event,
            recipients=[learner],
            target=f"assignment-version:{version.pk}",
            message=message,
        )
    )
