"""The certificate registry: what was certified, to whom, and whether it still stands."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    """One certificate, with a snapshot of what it certifies as it was at issue.

    A learner holds at most one standing certificate per course (and course version);
    re-issuing revokes the old one as superseded and links the two.
    """

    class Reason(models.TextChoices):
        ERROR = "error", _("issued in error")
        FRAUD = "fraud", _("fraud")
        SUPERSEDED = "superseded", _("superseded")
        OTHER = "other", _("other")

    number = models.CharField(_("number"), max_length=13, unique=True, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    course_version = models.PositiveSmallIntegerField(_("course version"), default=1)
    # The snapshot, printed and verified as it was on the day of issue.
    holder_name = models.CharField(_("holder's name as printed"), max_length=200)
    course_titles = models.JSONField(_("course title by language"), default=dict)
    academic_hours = models.PositiveSmallIntegerField(_("academic hours"), default=0)
    cohort_name = models.CharField(_("cohort"), max_length=200, blank=True)
    cohort_starts_on = models.DateField(_("cohort starts on"), null=True, blank=True)
    cohort_ends_on = models.DateField(_("cohort ends on"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    grade = models.DecimalField(
        _("final grade, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )  # kept for the registry; never shown publicly
    issuer = models.CharField(_("issuer"), max_length=300)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("reason"), max_length=12, choices=Reason.choices, blank=True
    )
    revocation_note = models.TextField(_("note"), blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    # The printed document, rendered once after issue (certification.documents).
    pdf = models.FileField(upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "course_key", "course_version"],
                condition=Q(revoked_at__isnull=True),
                name="one_standing_certificate_per_course",
            )
        ]

    def __str__(self) -> str:
        from certification.numbers import format_number

        return format_number(self.number)

    @property
    def printed_number(self) -> str:
        from certification.numbers import format_number

        return format_number(self.number)

    def course_title(self, language: str) -> str:
        titles = self.course_titles or {}
        return titles.get(language) or titles.get("ru") or next(iter(titles.values()), "")

    def status(self, today=None) -> str:
        if self.revoked_at:
            return "revoked"
        today = today or timezone.localdate()
        if self.expires_on and self.expires_on < today:
            return "expired"
        return "valid"
