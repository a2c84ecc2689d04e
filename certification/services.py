"""Issuing, revoking and re-issuing certificates, and looking them up for verification."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification import numbers
from certification.models import Certificate
from courses.models import CoursePage, Enrolment, QuizPage
from lms.security import log_event
from quizzes.services import quiz_grade


def _snapshot(enrolment: Enrolment) -> dict:
    cohort = enrolment.cohort
    course = CoursePage.objects.get(pk=cohort.course_id)
    titles = {
        page.locale.language_code: page.title
        for page in CoursePage.objects.filter(
            translation_key=course.translation_key
        ).select_related("locale")
    }
    exams = QuizPage.objects.descendant_of(course).filter(
        kind=QuizPage.Kind.FINAL_EXAM, quiz__isnull=False
    )
    grades = [quiz_grade(quiz=page.quiz, user=enrolment.learner) for page in exams]
    return {
        "holder_name": enrolment.learner.full_name,
        "course_titles": titles,
        "academic_hours": course.academic_hours,
        "cohort_name": cohort.name,
        "cohort_starts_on": cohort.starts_on,
        "cohort_ends_on": cohort.ends_on,
        "grade": next((g for g in grades if g is not None), None),
        "issuer": settings.CERTIFICATE_ISSUER,
    }


def certificate_issue(*, enrolment: Enrolment, actor: str = "system") -> Certificate:
    """Issue the learner's certificate for the enrolment's course, once.

    A second call, or a concurrent one, returns the certificate that stands: the
    partial unique constraint on (holder, course, version) decides the race.
    """
    standing = Certificate.objects.filter(
        holder_id=enrolment.learner_id, course_key=enrolment.course_key, revoked_at__isnull=True
    ).first()
    if standing is not None:
        return standing
    snapshot = _snapshot(enrolment)
    for _attempt in range(5):  # a number collision is astronomically rare; retry anyway
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=numbers.new_number(),
                    holder_id=enrolment.learner_id,
                    enrolment=enrolment,
                    course_key=enrolment.course_key,
                    **snapshot,
                )
        except IntegrityError:
            standing = Certificate.objects.filter(
                holder_id=enrolment.learner_id,
                course_key=enrolment.course_key,
                revoked_at__isnull=True,
            ).first()
            if standing is not None:
                return standing
            continue
        log_event("certificate_issue", actor=actor, number=certificate.number)
        _render_later(certificate)
        return certificate
    raise RuntimeError("Could not allocate a certificate number")


def certificate_revoke(
    *, certificate: Certificate, reason: str, note: str, actor: str
) -> Certificate:
    """Revoke a certificate. It stays revoked: there is no un-revoke."""
    if reason not in Certificate.Reason.values:
        raise ValueError(f"Unknown revocation reason {reason!r}")
    updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revocation_reason=reason, revocation_note=note
    )
    certificate.refresh_from_db()
    if updated:
        log_event("certificate_revoke", actor=actor, number=certificate.number, reason=reason)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor: str) -> Certificate:
    """A new number for the same achievement; the old one is revoked as superseded."""
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    certificate_revoke(certificate=old, reason=Certificate.Reason.SUPERSEDED, note="", actor=actor)
    new = Certificate.objects.create(
        number=numbers.new_number(),
        holder_id=old.holder_id,
        enrolment=old.enrolment,
        course_key=old.course_key,
        course_version=old.course_version,
        holder_name=old.holder_name,
        course_titles=old.course_titles,
        academic_hours=old.academic_hours,
        cohort_name=old.cohort_name,
        cohort_starts_on=old.cohort_starts_on,
        cohort_ends_on=old.cohort_ends_on,
        expires_on=old.expires_on,
        grade=old.grade,
        issuer=old.issuer,
    )
    Certificate.objects.filter(pk=old.pk).update(superseded_by=new)
    _render_later(new)
    log_event("certificate_reissue", actor=actor, old=old.number, new=new.number)
    return new


def _render_later(certificate: Certificate) -> None:
    """The PDF is made off the request path, once the certificate is committed."""
    from certification.tasks import render_certificate_pdf

    transaction.on_commit(lambda: render_certificate_pdf.enqueue(certificate.pk))


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
