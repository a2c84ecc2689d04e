"""Reads for the certificate registry: who may open a certificate's documents, which
learners a bulk run would issue to, and the registry's listing."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy

from certification.models import BulkIssuance, Certificate, CourseCertificateTemplate
from courses.models import Cohort, CoursePage, Enrolment
from lms import sql


def course_title(*, certificate: Certificate, language: str) -> str:
    """The certified course's title in ``language``: as it was at issue; else that of a
    live translation made since; else the title kept in another language."""
    kept = (certificate.course_titles or {}).get(language)
    if kept:
        return kept
    translated = (
        CoursePage.objects.live()
        .filter(translation_key=certificate.course_key, locale__language_code=language)
        .values_list("title", flat=True)
        .first()
    )
    return translated or certificate.course_title(language)


# What the dashboard's panel shows of a certificate: its number, its course's title,
# whether and when it was revoked (and the order). The other fields are deferred.
_LISTED = ("id", "number", "course_titles", "revoked_at", "issued_at")


@functools.cache
def _held_sql(vendor: str) -> str:
    """Written out once per process: every signed-in learner's dashboard asks it, most
    of them to learn they hold none, and compiling it cost ten times the rest."""
    return (
        f"SELECT {sql.columns(Certificate, _LISTED)} FROM {sql.table(Certificate)} "  # noqa: S608
        f"WHERE {sql.column(Certificate, 'holder')} = %s "
        f"ORDER BY {sql.column(Certificate, 'issued_at')} DESC"
    )


def held_certificates(*, holder) -> list[Certificate]:
    """The person's certificates, newest first, revoked ones too, with what the
    dashboard shows of each (one written-out query)."""
    return sql.instances(Certificate, _LISTED, sql.fetch(_held_sql(connection.vendor), [holder.pk]))


def is_registrar(user) -> bool:
    """Registrars (and administrators) keep the registry: they may change certificates."""
    return user.is_authenticated and user.has_perm("certification.change_certificate")


def teaches_holder(*, user, certificate: Certificate) -> bool:
    """Is the user a trainer of the certificate's course, or of the holder's cohort?"""
    if not user.is_authenticated:
        return False
    cohort_ids = {certificate.cohort_id}
    if certificate.enrolment_id:
        cohort_ids.add(
            Enrolment.objects.filter(pk=certificate.enrolment_id)
            .values_list("cohort_id", flat=True)
            .first()
        )
    cohort_ids.discard(None)
    return (
        CoursePage.objects.filter(translation_key=certificate.course_key, trainers=user).exists()
        or Cohort.objects.filter(pk__in=cohort_ids, trainers=user).exists()
    )


def may_open_documents(*, user, certificate: Certificate) -> bool:
    """The PDF and the preview: the holder, the holder's trainers and registrars only."""
    if not user.is_authenticated:
        return False
    return (
        user.pk == certificate.holder_id
        or is_registrar(user)
        or teaches_holder(user=user, certificate=certificate)
    )


def eligible_enrolments(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """Who a bulk run issues to: the cohort's learners who have completed the course."""
    return (
        cohort.enrolments.filter(status=Enrolment.Status.COMPLETED)
        .select_related("learner", "cohort")
        .order_by("learner__full_name", "pk")
    )


@dataclass
class BulkCandidates:
    """What a bulk run for a cohort would do, for the confirm page."""

    to_issue: list[Enrolment] = field(default_factory=list)
    already_held: list[Enrolment] = field(default_factory=list)
    not_eligible: list[Enrolment] = field(default_factory=list)


def bulk_candidates(*, cohort: Cohort) -> BulkCandidates:
    enrolments = list(
        cohort.enrolments.select_related("learner").order_by("learner__full_name", "pk")
    )
    holding = set(
        Certificate.objects.filter(
            holder_id__in=[enrolment.learner_id for enrolment in enrolments],
            course_key=cohort.course.translation_key,
            revoked_at__isnull=True,
        ).values_list("holder_id", flat=True)
    )
    candidates = BulkCandidates()
    for enrolment in enrolments:
        if enrolment.status != Enrolment.Status.COMPLETED:
            candidates.not_eligible.append(enrolment)
        elif enrolment.learner_id in holding:
            candidates.already_held.append(enrolment)
        else:
            candidates.to_issue.append(enrolment)
    return candidates


def recent_bulk_runs(*, limit: int = 20) -> QuerySet[BulkIssuance]:
    return BulkIssuance.objects.select_related("cohort", "requested_by")[:limit]


def registry() -> QuerySet[Certificate]:
    """The registry's rows with what the listing shows, in a fixed number of queries."""
    return Certificate.objects.select_related(
        "cohort", "holder__learner_profile__region", "superseded_by"
    )


def course_template_choices_for(user) -> QuerySet[CourseCertificateTemplate]:
    """The courses' template choices ``user`` may see and change: those of the course
    pages they may edit (a trainer's own courses; every course for methodologists)."""
    return (
        CourseCertificateTemplate.objects.filter(course__in=courses_editable_by(user))
        .select_related("course", "template")
        .order_by("course__title", "pk")
    )


def courses_editable_by(user) -> QuerySet[CoursePage]:
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return CoursePage.objects.filter(pk__in=editable.values("pk")).order_by("title")
