"""Issuing, revoking and re-issuing certificates, and looking them up for verification.

Every way a certificate comes to be (course completion, a registrar by hand, a bulk
run for a cohort, a re-issue) goes through :func:`_issue`: one standing certificate per
(holder, course, version), decided by the partial unique constraint, with the same
snapshot of what was certified. Each issue, revocation, re-issue and staff view of a
PDF is written to Wagtail's log entries of the certificate (its history in the admin)
and to the ``lms.security`` audit log, with the actor and the time in UTC.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import log as log_action

from certification import history, layout, numbers
from certification.models import BulkIssuance, Certificate
from certification.selectors import eligible_enrolments
from courses.models import Cohort, CoursePage, Enrolment
from courses.selectors import final_exam_grade
from lms.background import attempt_token, earlier_attempt, uses_database_backend
from lms.links import absolute_url
from lms.models import User
from lms.security import log_event
from notifications.services import Message, notify

logger = logging.getLogger(__name__)

# What a certificate copies at issue, and what a re-issue carries over unchanged.
SNAPSHOT_FIELDS = (
    "holder_name",
    "course_titles",
    "academic_hours",
    "cohort_id",
    "cohort_name",
    "cohort_starts_on",
    "cohort_ends_on",
    "grade",
    "course_total",
    "issuer",
    "issuer_names",
    "layout",
    "template_id",
)
# A bulk run counts each learner as it goes. One silent this long has lost its worker
# without the task's recovery taking it up (it ran inline in a web process that was
# killed, say); the next attempt, or the registrar asking again, takes it over.
BULK_RUN_STALE_AFTER = timedelta(minutes=5)
# Learners whose course totals a bulk run works out at once (one gradebook of them).
BULK_TOTALS_BATCH = 100

Actor = User | str | None  # a person, or a label for the system ("system", "seed_demo")

# The notification events of the registry (registered in wagtail_hooks.py).
CERTIFICATE_ISSUED = "certificate_issued"
CERTIFICATE_REVOKED = "certificate_revoked"


def _actor(actor: Actor) -> tuple[User | None, str]:
    """The user to record in the log entry, and the actor's name for the audit log."""
    if isinstance(actor, User):
        return actor, actor.email
    return None, actor or "system"


def _standing(*, holder_id: int, course_key, course_version: int) -> Certificate | None:
    return Certificate.objects.filter(
        holder_id=holder_id,
        course_key=course_key,
        course_version=course_version,
        revoked_at__isnull=True,
    ).first()


def _course_snapshot(
    *, course: CoursePage, cohort: Cohort | None, academic_hours: int | None = None
) -> dict:
    """What a certificate of this course and cohort prints, whoever holds it: titles,
    hours, cohort, issuer and the template's layout (with its images copied)."""
    translations = list(
        CoursePage.objects.filter(translation_key=course.translation_key).select_related(
            "locale", "certificate_template_choice__template"
        )
    )
    titles = {page.locale.language_code: page.title for page in translations}
    # The course's own choice, else one made on a language copy of it.
    chosen = {
        page.pk: page.certificate_template_choice.template
        for page in translations
        if hasattr(page, "certificate_template_choice")
    }
    template = chosen.get(course.pk) or next(iter(chosen.values()), None)
    return {
        "course_titles": titles,
        "academic_hours": course.academic_hours if academic_hours is None else academic_hours,
        "cohort_id": cohort.pk if cohort else None,
        "cohort_name": cohort.name if cohort else "",
        "cohort_starts_on": cohort.starts_on if cohort else None,
        "cohort_ends_on": cohort.ends_on if cohort else None,
        "issuer": settings.CERTIFICATE_ISSUER,
        "issuer_names": dict(settings.CERTIFICATE_ISSUER_NAMES),
        "layout": layout.snapshot(template),
        "template_id": template.pk if template else None,
    }


def _snapshot(
    *, holder: User, course: CoursePage, course_part: dict, total: Decimal | None = None
) -> dict:
    """What the certificate certifies, as it is now: the course part and the holder's
    name, final grade and course total."""
    return {
        **course_part,
        "holder_name": holder.full_name,
        "grade": final_exam_grade(course=course, learner=holder),
        "course_total": total,
    }


def course_totals(*, enrolments: list[Enrolment]) -> dict[int, Decimal]:
    """The learners' course totals as the apps above the registry make them (the
    gradebook's, through the ``certificate_course_totals`` hook: ``fn(*, enrolments)
    -> {enrolment id: Decimal | None}``), by enrolment id; a learner no hook gives a
    total for is left out."""
    totals: dict[int, Decimal] = {}
    for fn in hooks.get_hooks("certificate_course_totals"):
        for pk, total in fn(enrolments=enrolments).items():
            if total is not None:
                totals.setdefault(pk, total)
    return totals


def course_total(*, enrolment: Enrolment | None) -> Decimal | None:
    """The learner's course total (see :func:`course_totals`); None without an
    enrolment or a hook that gives one."""
    if enrolment is None:
        return None
    return course_totals(enrolments=[enrolment]).get(enrolment.pk)


class _BatchedCourseTotals:
    """The course totals of a bulk run's learners, ``BULK_TOTALS_BATCH`` at a time: the
    next batch's are worked out when the first learner of it is issued to (learners who
    already hold a certificate need none), rather than one learner at a time."""

    def __init__(self, enrolments: list[Enrolment]) -> None:
        self._enrolments = enrolments
        self._position = {enrolment.pk: index for index, enrolment in enumerate(enrolments)}
        self._batch: set[int] = set()
        self._totals: dict[int, Decimal] = {}

    def __call__(self, enrolment: Enrolment) -> Decimal | None:
        if enrolment.pk not in self._batch:
            start = self._position[enrolment.pk]
            batch = self._enrolments[start : start + BULK_TOTALS_BATCH]
            self._batch = {member.pk for member in batch}
            self._totals = course_totals(enrolments=batch)
        return self._totals.get(enrolment.pk)


def _issue(
    *,
    holder_id: int,
    course_key,
    enrolment: Enrolment | None,
    snapshot: Callable[[], dict],
    actor: Actor,
    via: str,
    course_version: int = 1,
    issued_at: datetime | None = None,
    expires_on: date | None = None,
    log_data: dict | None = None,
) -> tuple[Certificate, bool]:
    """Issue once: (the new certificate, True), or (the one that stands, False).

    A second call, or a concurrent one, returns the certificate that stands: the
    partial unique constraint on (holder, course, version) decides the race.
    """
    key = {"holder_id": holder_id, "course_key": course_key, "course_version": course_version}
    standing = _standing(**key)
    if standing is not None:
        return standing, False
    values = snapshot()
    user, actor_name = _actor(actor)
    for _attempt in range(5):  # a number collision is astronomically rare; retry anyway
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=numbers.new_number(),
                    enrolment=enrolment,
                    issued_at=issued_at or timezone.now(),
                    expires_on=expires_on,
                    **key,
                    **values,
                )
                log_action(
                    certificate,
                    "certification.issue",
                    user=user,
                    data={"number": certificate.printed_number, "via": via, **(log_data or {})},
                )
                history.record(
                    certificate=certificate,
                    action="issue",
                    actor=actor,
                    details={"via": via, **(log_data or {})},
                )
        except IntegrityError:
            standing = _standing(**key)
            if standing is not None:
                return standing, False
            continue
        log_event("certificate_issue", actor=actor_name, number=certificate.number, via=via)
        _render_later(certificate)
        _notify_issued_later(certificate)
        return certificate, True
    raise RuntimeError("Could not allocate a certificate number")


def _issue_for_enrolment(
    *,
    enrolment: Enrolment,
    actor: Actor,
    via: str,
    log_data: dict | None = None,
    course: CoursePage | None = None,
    course_part: Callable[[], dict] | None = None,
    total_of: Callable[[Enrolment], Decimal | None] | None = None,
) -> tuple[Certificate, bool]:
    """Issue for an enrolment. A bulk run passes the course and its course part, made
    once for the whole cohort rather than once per learner, and its learners' course
    totals, worked out a batch at a time."""
    cohort = enrolment.cohort

    def snapshot() -> dict:
        page = course or CoursePage.objects.get(pk=cohort.course_id)
        part = course_part() if course_part else _course_snapshot(course=page, cohort=cohort)
        total = total_of(enrolment) if total_of else course_total(enrolment=enrolment)
        return _snapshot(holder=enrolment.learner, course=page, course_part=part, total=total)

    return _issue(
        holder_id=enrolment.learner_id,
        course_key=enrolment.course_key,
        enrolment=enrolment,
        snapshot=snapshot,
        actor=actor,
        via=via,
        log_data=log_data,
    )


def certificate_issue(*, enrolment: Enrolment, actor: Actor = "system") -> Certificate:
    """Issue the learner's certificate for the enrolment's course, once."""
    return _issue_for_enrolment(enrolment=enrolment, actor=actor, via="completion")[0]


def _issued_at(issued_on: date | None) -> datetime:
    """Now, or midday of an earlier day in the registry's time zone (printed as that day)."""
    if issued_on is None or issued_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(issued_on, time(12)))


def certificate_issue_manual(
    *,
    holder: User,
    course: CoursePage,
    actor: User,
    cohort: Cohort | None = None,
    academic_hours: int | None = None,
    issued_on: date | None = None,
    expires_on: date | None = None,
) -> tuple[Certificate, bool]:
    """A registrar issues a certificate by hand, e.g. for a face-to-face seminar.

    Returns (certificate, created): when the holder already has a standing certificate
    for the course, that one is returned and nothing is issued. Without a cohort, the
    holder's cohort in the course (if they are enrolled) is printed.
    """
    today = timezone.localdate()
    errors = {}
    if cohort is not None and cohort.course.translation_key != course.translation_key:
        errors["cohort"] = _("This cohort belongs to another course.")
    if issued_on and issued_on > today:
        errors["issued_on"] = _("A certificate cannot be dated in the future.")
    if expires_on and expires_on <= (issued_on or today):
        errors["expires_on"] = _("The expiry date must come after the date of issue.")
    if errors:
        raise ValidationError(errors)
    enrolment = (
        Enrolment.objects.filter(learner=holder, course_key=course.translation_key)
        .select_related("cohort")
        .first()
    )
    cohort = cohort or (enrolment.cohort if enrolment else None)
    return _issue(
        holder_id=holder.pk,
        course_key=course.translation_key,
        enrolment=enrolment,
        snapshot=lambda: _snapshot(
            holder=holder,
            course=course,
            course_part=_course_snapshot(
                course=course, cohort=cohort, academic_hours=academic_hours
            ),
            total=course_total(enrolment=enrolment),
        ),
        actor=actor,
        via="manual",
        issued_at=_issued_at(issued_on),
        expires_on=expires_on,
    )


def certificate_revoke(
    *, certificate: Certificate, reason: str, note: str, actor: Actor
) -> Certificate:
    """Revoke a certificate. It stays revoked: there is no un-revoke."""
    if reason not in Certificate.Reason.values:
        raise ValueError(f"Unknown revocation reason {reason!r}")
    user, actor_name = _actor(actor)
    with transaction.atomic():
        updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revocation_reason=reason, revocation_note=note
        )
        certificate.refresh_from_db()
        if updated:
            log_action(
                certificate,
                "certification.revoke",
                user=user,
                data={"reason": reason, "note": note},
            )
            history.record(
                certificate=certificate,
                action="revoke",
                actor=actor,
                details={"reason": reason, "note": note},
            )
    if updated:
        log_event("certificate_revoke", actor=actor_name, number=certificate.number, reason=reason)
        # A re-issue tells the holder of the new certificate instead.
        if reason != Certificate.Reason.SUPERSEDED:
            transaction.on_commit(lambda: _notify_revoked(certificate))
    return certificate


def _share_path(certificate: Certificate) -> str:
    """The certificate's public page: the link its holder shares."""
    return f"/v/{certificate.printed_number}"


def _notify_issued_later(certificate: Certificate) -> None:
    """The holder hears of it once it is committed."""
    transaction.on_commit(lambda: certificate_issued_notify(certificate=certificate))


def certificate_issued_notify(*, certificate: Certificate) -> int:
    """Tell the holder of their new certificate, with the link to share (once)."""

    def message(user) -> Message:
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        values = {
            "course": certificate.course_title(language),
            "number": certificate.printed_number,
            "url": absolute_url(_share_path(certificate)),
        }
        return Message(
            subject=_("Your certificate for %(course)s is issued") % values,
            body=_(
                "Certificate %(number)s. Anyone can check it at this link, which you can "
                "share: %(url)s"
            )
            % values,
            url=_share_path(certificate),
        )

    return notify(
        event=CERTIFICATE_ISSUED,
        recipients=[certificate.holder],
        target=f"certificate:{certificate.pk}",
        message=message,
    )


def _notify_revoked(certificate: Certificate) -> None:
    def message(user) -> Message:
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        values = {
            "course": certificate.course_title(language),
            "number": certificate.printed_number,
            "reason": certificate.get_revocation_reason_display(),
        }
        # The reason's category only: the registrar's note is the registry's.
        return Message(
            subject=_("Your certificate for %(course)s is revoked") % values,
            body=_("Certificate %(number)s is no longer valid. Reason: %(reason)s.") % values,
            url=_share_path(certificate),
        )

    notify(
        event=CERTIFICATE_REVOKED,
        recipients=[certificate.holder],
        target=f"certificate:{certificate.pk}",
        message=message,
    )


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor: Actor) -> Certificate:
    """A new number for the same achievement; the old one is revoked as superseded."""
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    certificate_revoke(certificate=old, reason=Certificate.Reason.SUPERSEDED, note="", actor=actor)
    new, _created = _issue(
        holder_id=old.holder_id,
        course_key=old.course_key,
        course_version=old.course_version,
        enrolment=old.enrolment,
        snapshot=lambda: {field: getattr(old, field) for field in SNAPSHOT_FIELDS},
        actor=actor,
        via="reissue",
        expires_on=old.expires_on,
        log_data={"previous": old.printed_number},
    )
    Certificate.objects.filter(pk=old.pk).update(superseded_by=new)
    user, actor_name = _actor(actor)
    log_action(old, "certification.reissue", user=user, data={"new": new.printed_number})
    history.record(certificate=old, action="reissue", actor=actor, details={"new": new.number})
    log_event("certificate_reissue", actor=actor_name, old=old.number, new=new.number)
    return new


class ReplacementRefused(Exception):
    """The certificate stands, or has already been replaced: nothing to replace."""


def _course_page(course_key, cohort: Cohort | None) -> CoursePage | None:
    """The course as it is now: the cohort's language copy, or the first one made."""
    pages = CoursePage.objects.filter(translation_key=course_key)
    if cohort is not None:
        page = pages.filter(pk=cohort.course_id).first()
        if page is not None:
            return page
    return pages.order_by("pk").first()


@transaction.atomic
def certificate_replace(*, certificate: Certificate, actor: Actor) -> tuple[Certificate, bool]:
    """Issue anew to the holder of a revoked certificate, and link the old one to it.

    Unlike :func:`certificate_reissue`, nothing is carried over: the new certificate is
    issued like any other (:func:`_issue`), with a snapshot of the holder and the course
    as they are now (name, titles, hours, template, final grade). Returns (certificate,
    created); when the holder already holds a standing certificate for the course, that
    one is returned, and linked as the replacement unless it already replaces another.
    Raises :class:`ReplacementRefused` for a standing or an already replaced certificate.
    """
    old = (
        Certificate.objects.select_for_update(of=("self",))  # cohort, enrolment: outer joins
        .select_related("holder", "cohort", "enrolment")
        .get(pk=certificate.pk)
    )
    if old.revoked_at is None:
        raise ReplacementRefused(_("Only a revoked certificate can be replaced."))
    if old.superseded_by_id is not None:
        raise ReplacementRefused(_("This certificate has already been replaced."))
    course = _course_page(old.course_key, old.cohort)
    if course is None:
        raise ReplacementRefused(_("The course of this certificate no longer exists."))
    new, created = _issue(
        holder_id=old.holder_id,
        course_key=old.course_key,
        course_version=old.course_version,
        enrolment=old.enrolment,
        snapshot=lambda: _snapshot(
            holder=old.holder,
            course=course,
            course_part=_course_snapshot(course=course, cohort=old.cohort),
        ),
        actor=actor,
        via="replacement",
        log_data={"previous": old.printed_number},
    )
    if not Certificate.objects.filter(superseded_by=new).exists():
        Certificate.objects.filter(pk=old.pk).update(superseded_by=new)
        user, actor_name = _actor(actor)
        log_action(old, "certification.reissue", user=user, data={"new": new.printed_number})
        history.record(certificate=old, action="replace", actor=actor, details={"new": new.number})
        log_event("certificate_replace", actor=actor_name, old=old.number, new=new.number)
    return new, created


def certificate_document_viewed(*, certificate: Certificate, user: User, document: str) -> None:
    """Someone other than the holder opened the PDF ("pdf") or its preview ("preview")."""
    log_event(f"certificate_{document}_view", actor=user.email, number=certificate.number)
    if document == "pdf":
        log_action(certificate, "certification.view_pdf", user=user)


def _render_later(certificate: Certificate) -> None:
    """The PDF is made off the request path, once the certificate is committed."""
    # The tasks run this module's functions, so they are imported on use.
    from certification.tasks import render_certificate_pdf

    transaction.on_commit(lambda: render_certificate_pdf.enqueue(certificate.pk))


# Bulk issuance -------------------------------------------------------------------------


def _last_sign_of_life(run: BulkIssuance) -> datetime:
    return run.heartbeat_at or run.started_at or run.created_at


def _orphaned(run: BulkIssuance, *, now: datetime) -> bool:
    """A waiting or running run that nothing will move on without help: running but
    silent for ``BULK_RUN_STALE_AFTER``, or waiting that long without a task queued."""
    if now - _last_sign_of_life(run) < BULK_RUN_STALE_AFTER:
        return False
    if run.state == BulkIssuance.State.RUNNING:
        return True
    return not _task_waiting(run.task_id)


def _task_waiting(task_id: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    if not (task_id and uses_database_backend()):
        return False
    return DBTaskResult.objects.filter(pk=task_id, status__in=["READY", "RUNNING"]).exists()


def bulk_issuance_start(*, cohort: Cohort, requested_by: User) -> BulkIssuance:
    """Start issuing to the cohort's eligible learners as a background task.

    While a run for the cohort is waiting or running, that run is returned instead of
    a second one. When that run has been orphaned (its worker died and nothing took it
    up, see :func:`_orphaned`), a task is queued to take it over and carry on.
    """
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()  # one starter at a time
        active = BulkIssuance.objects.filter(
            cohort=cohort, state__in=[BulkIssuance.State.PENDING, BulkIssuance.State.RUNNING]
        ).first()
        if active is not None:
            if _orphaned(active, now=timezone.now()):
                log_event(
                    "certificate_bulk_resume",
                    actor=requested_by.email,
                    cohort=cohort.pk,
                    run=active.pk,
                )
                transaction.on_commit(lambda: _enqueue_bulk_run(active.pk))
            return active
        run = BulkIssuance.objects.create(cohort=cohort, requested_by=requested_by)
        log_event("certificate_bulk_issue", actor=requested_by.email, cohort=cohort.pk, run=run.pk)
        transaction.on_commit(lambda: _enqueue_bulk_run(run.pk))
    return run


def _enqueue_bulk_run(run_id: int) -> None:
    # The tasks run this module's functions, so they are imported on use.
    from certification.tasks import run_bulk_issuance

    result = run_bulk_issuance.enqueue(run_id)
    BulkIssuance.objects.filter(pk=run_id).update(task_id=str(result.id)[:64])


class RunTakenOver(Exception):
    """Another attempt has taken the run over (this one was thought dead): stop."""


def _advance(run: BulkIssuance, attempt: str, enrolment: Enrolment, field: str, **changes) -> None:
    """Count a learner and move the run past their enrolment, if this attempt still
    holds the run; otherwise raise :class:`RunTakenOver` (rolling back what the learner's
    transaction did)."""
    updated = BulkIssuance.objects.filter(pk=run.pk, claimed_by=attempt).update(
        **{field: F(field) + 1},
        resume_after=enrolment.pk,
        heartbeat_at=timezone.now(),
        **changes,
    )
    if not updated:
        raise RunTakenOver


def _claim(run_id: int, attempt: str) -> bool:
    """Start a waiting run, or take over one whose attempt died: an earlier attempt of
    the same task (recovery queued it again, so its worker is gone) or a run silent for
    ``BULK_RUN_STALE_AFTER``. One conditional UPDATE: of two claimants, one wins."""
    now = timezone.now()
    running = Q(state=BulkIssuance.State.RUNNING)
    silent = Q(heartbeat_at__lt=now - BULK_RUN_STALE_AFTER) | Q(heartbeat_at__isnull=True)
    return bool(
        BulkIssuance.objects.filter(
            Q(state=BulkIssuance.State.PENDING)
            | (running & silent)
            | (running & earlier_attempt(attempt)),
            pk=run_id,
        ).update(
            state=BulkIssuance.State.RUNNING,
            claimed_by=attempt,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), Value(now)),
        )
    )


def bulk_issuance_run(*, run_id: int, attempt: str | None = None) -> BulkIssuance:
    """Walk the run's eligible learners and issue to each, counting as it goes.

    ``attempt`` names this attempt at the run's task (``lms.background.attempt_token``).
    A waiting run starts; a running one is left alone (a task delivered twice runs
    once) unless its attempt died (:func:`_claim`), when this one takes it over and
    carries on after the last learner counted. Each learner's certificate and the
    count that records it are one transaction, so a crash leaves both or neither: no
    one is issued twice, left out or counted twice. A learner who already holds a
    certificate for the course is counted as skipped; one whose issue fails is counted
    as failed with the problem, and the run goes on.
    """
    attempt = attempt or attempt_token(None)
    claimed = _claim(run_id, attempt)
    run = BulkIssuance.objects.select_related("cohort", "requested_by").get(pk=run_id)
    if not claimed:
        return run
    if run.attempts > 1:
        logger.warning("bulk issuance %s: taken over by %s", run.pk, attempt)
    try:
        remaining = list(
            eligible_enrolments(cohort=run.cohort).filter(pk__gt=run.resume_after).order_by("pk")
        )
        BulkIssuance.objects.filter(pk=run.pk, claimed_by=attempt).update(
            total=run.done + len(remaining)
        )
        course = CoursePage.objects.get(pk=run.cohort.course_id)
        course_part = functools.cache(lambda: _course_snapshot(course=course, cohort=run.cohort))
        total_of = _BatchedCourseTotals(remaining)
        problems: list[dict] = list(run.problems)
        for enrolment in remaining:
            try:
                with transaction.atomic():
                    _certificate, created = _issue_for_enrolment(
                        enrolment=enrolment,
                        actor=run.requested_by or "system",
                        via="bulk",
                        log_data={"run": run.pk},
                        course=course,
                        course_part=course_part,
                        total_of=total_of,
                    )
                    _advance(run, attempt, enrolment, "issued" if created else "skipped")
            except RunTakenOver:
                raise
            except Exception as exc:  # recorded for the learner; the run goes on
                logger.exception("bulk issuance %s: learner %s", run.pk, enrolment.learner_id)
                problems.append(
                    {
                        "learner": enrolment.learner_id,
                        "name": enrolment.learner.full_name,
                        "problem": str(exc) or exc.__class__.__name__,
                    }
                )
                _advance(run, attempt, enrolment, "failed", problems=problems)
    except RunTakenOver:
        logger.warning("bulk issuance %s: another attempt took it over; %s stops", run.pk, attempt)
        run.refresh_from_db()
        return run
    except Exception:
        BulkIssuance.objects.filter(pk=run.pk, claimed_by=attempt).update(
            state=BulkIssuance.State.FAILED, finished_at=timezone.now()
        )
        raise
    BulkIssuance.objects.filter(pk=run.pk, claimed_by=attempt).update(
        state=BulkIssuance.State.FINISHED, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def bulk_issuance_abandon(*, run_id: int, task_id: str) -> bool:
    """The run's task has failed for good (e.g. its workers kept dying under it): a run
    it left waiting or running is failed, so that the cohort can be issued to again.
    A run another task has taken over is left to it."""
    return bool(
        BulkIssuance.objects.filter(
            Q(claimed_by="") | Q(claimed_by__startswith=f"{task_id}/"),
            pk=run_id,
            state__in=[BulkIssuance.State.PENDING, BulkIssuance.State.RUNNING],
        ).update(state=BulkIssuance.State.FAILED, finished_at=timezone.now())
    )


# Verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    status: str  # "valid", "expired", "revoked" or "not_found"
    certificate: Certificate | None = None


NOT_FOUND = Verification(status="not_found")


def verify(*, typed: str) -> Verification:
    """Look a certificate up by a number as a person typed it.

    A number whose check character is wrong is answered without a query, and every
    unknown number gets the same answer.
    """
    canonical = numbers.parse(typed)
    if canonical is None:
        return NOT_FOUND
    certificate = Certificate.objects.filter(number=canonical).first()
    if certificate is None:
        return NOT_FOUND
    return Verification(status=certificate.status(), certificate=certificate)
