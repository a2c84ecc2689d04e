"""The certificate registry: what was certified, to whom, and whether it still stands."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from certification.numbers import format_number
from certification.uploads import SignatureField
from lms.progress import Progress

hex_colour = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as # and six hexadecimal digits, such as #1F3A93.")
)


class CertificateTemplate(ClusterableModel):
    """How a course's certificates look: title lines, body, signatories, logo, colours.

    A course picks one (``CourseCertificateTemplate``); without one the built-in
    layout is printed. What a certificate prints is copied into it when it is issued
    (``Certificate.layout``), so editing a template never changes an issued certificate.
    """

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("landscape")
        PORTRAIT = "portrait", _("portrait")

    name = models.CharField(
        _("name"), max_length=200, unique=True, help_text=_("For the admin only; not printed.")
    )
    title_kk = models.CharField(_("title in Kazakh"), max_length=120, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=120, blank=True)
    title_en = models.CharField(_("title in English"), max_length=120, blank=True)
    body_kk = models.TextField(_("body text in Kazakh"), max_length=600, blank=True)
    body_ru = models.TextField(_("body text in Russian"), max_length=600, blank=True)
    body_en = models.TextField(_("body text in English"), max_length=600, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#1F3A93",
        validators=[hex_colour],
        help_text=_("Titles and the outer frame."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#B8860B",
        validators=[hex_colour],
        help_text=_("The holder's name and the inner frame."),
    )
    orientation = models.CharField(
        _("orientation"),
        max_length=10,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("title_kk"), FieldPanel("title_ru"), FieldPanel("title_en")],
            heading=_("Title lines"),
            help_text=_("Left empty, the built-in title is printed."),
        ),
        MultiFieldPanel(
            [FieldPanel("body_kk"), FieldPanel("body_ru"), FieldPanel("body_en")],
            heading=_("Body text"),
            help_text=_(
                "Printed under the holder's name, one paragraph per language. "
                "{course}, {hours}, {cohort} and {dates} are replaced by the course title, "
                "academic hours, cohort and its dates. Left empty in every language, the "
                "built-in sentences are printed."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldRowPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")]),
                FieldPanel("orientation"),
            ],
            heading=_("Design"),
        ),
        InlinePanel("signatories", heading=_("Signatories"), label=_("signatory"), max_num=3),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseCertificateTemplate(models.Model):
    """The template a course's certificates are printed with, chosen in the registry. A
    course without one (nor a language copy with one) prints the built-in layout."""

    course = models.OneToOneField(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="certificate_template_choice",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("certificate template"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("course certificate template")
        verbose_name_plural = _("course certificate templates")

    def __str__(self) -> str:
        return f"{self.course.title}: {self.template.name}"


class CertificateSignatory(Orderable):
    """A person who signs a template's certificates, in the order they are printed."""

    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    # A plain upload, not a library image: signatures stay out of the image library
    # that every author can choose from. Checked before it is stored (uploads.py).
    signature = SignatureField(
        _("signature image"),
        upload_to="certificates/signatures/",
        blank=True,
        help_text=_(
            "A PNG with a transparent background prints best. PNG, JPEG or WebP, "
            "at most 2 MB and 16 million pixels."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return self.name


def new_identity_salt() -> str:
    """The salt of a certificate's hashed holder identifier (Open Badges IdentityObject)."""
    return secrets.token_hex(16)


class Certificate(models.Model):
    """One certificate, with a snapshot of what it certifies as it was at issue.

    A learner holds at most one standing certificate per course (and course version);
    re-issuing revokes the old one as superseded and links the two.
    """

    class Reason(models.TextChoices):
        """Why it was revoked: for the registry only. The public sees a neutral category
        (:attr:`Certificate.public_revocation`)."""

        ERROR = "error", _("issued in error")
        MISCONDUCT = "misconduct", _("misconduct (academic dishonesty)")
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
    cohort = models.ForeignKey(
        "courses.Cohort",
        verbose_name=_("cohort"),
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
    # The course total by the course's grading scheme, as the holder could see it at
    # issue (the ``certificate_course_totals`` hook); printed on the PDF when set.
    course_total = models.DecimalField(
        _("course total, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    # The issuer's name by language; empty on certificates issued before it was kept.
    issuer_names = models.JSONField(_("issuer by language"), default=dict, blank=True)
    # The template's printed content as it was at issue (certification.layout); empty
    # for the built-in layout. ``template`` only says where it came from.
    layout = models.JSONField(_("printed layout"), default=dict, blank=True)
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
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
    # Salts the hash of the holder's e-mail in the signed credential (credentials.py), so
    # the same address gives a different hash on each certificate.
    identity_salt = models.CharField(max_length=32, default=new_identity_salt, editable=False)

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
        return format_number(self.number)

    def save(self, *args, **kwargs) -> None:
        """Refuse to clear a revocation: a revoked certificate stays revoked."""
        update_fields = kwargs.get("update_fields")
        touches_revocation = update_fields is None or "revoked_at" in update_fields
        if (
            touches_revocation
            and self.pk
            and self.revoked_at is None
            and Certificate.objects.filter(pk=self.pk, revoked_at__isnull=False).exists()
        ):
            raise ValueError("A revoked certificate cannot be restored; issue a new one.")
        super().save(*args, **kwargs)

    @property
    def printed_number(self) -> str:
        return format_number(self.number)

    def course_title(self, language: str) -> str:
        titles = self.course_titles or {}
        return titles.get(language) or titles.get("ru") or next(iter(titles.values()), "")

    def issuer_name(self, language: str) -> str:
        """The issuer's name in ``language`` as it was at issue, else the one name kept."""
        return (self.issuer_names or {}).get(language) or self.issuer

    def status(self, today=None) -> str:
        if self.revoked_at:
            return "revoked"
        today = today or timezone.localdate()
        if self.expires_on and self.expires_on < today:
            return "expired"
        return "valid"

    def get_status_display(self) -> str:
        return str(STATUS_LABELS[self.status()])

    @property
    def public_revocation(self) -> str:
        """What the public is told of a revocation: "replaced" when another certificate
        took its place, otherwise "withdrawn"; "" while it stands. Never the reason."""
        if not self.revoked_at:
            return ""
        if self.superseded_by_id or self.revocation_reason == self.Reason.SUPERSEDED:
            return "replaced"
        return "withdrawn"

    def get_public_revocation_display(self) -> str:
        return str(PUBLIC_REVOCATION_LABELS.get(self.public_revocation, ""))

    @property
    def current_course_title(self) -> str:
        """The course title in the active language (for the admin and exports)."""
        from django.utils.translation import get_language

        return self.course_title((get_language() or "ru")[:2])

    @property
    def holder_region(self) -> str:
        """The holder's region now (from their learner profile), or ""."""
        profile = getattr(self.holder, "learner_profile", None)
        return profile.region.name if profile is not None and profile.region else ""

    @property
    def issued_on(self):
        """The day of issue in the registry's time zone (as printed)."""
        return timezone.localdate(self.issued_at)


STATUS_LABELS = {"valid": _("valid"), "expired": _("expired"), "revoked": _("revoked")}
PUBLIC_REVOCATION_LABELS = {
    "withdrawn": _("withdrawn by the issuer"),
    "replaced": _("replaced by another certificate"),
}


class BulkIssuance(models.Model):
    """One run of issuing certificates to every eligible learner of a cohort.

    Eligible: the cohort's enrolments that are completed. The run is a background task
    (certification.tasks.run_bulk_issuance) that counts as it goes, so the admin can
    show its progress; a learner who already holds a certificate is skipped, which
    makes a second run for the same cohort harmless.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to start")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    cohort = models.ForeignKey(
        "courses.Cohort",
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        related_name="bulk_issuances",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total = models.PositiveIntegerField(_("eligible learners"), default=0)
    issued = models.PositiveIntegerField(_("issued"), default=0)
    skipped = models.PositiveIntegerField(_("already held a certificate"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    # [{"learner": id, "name": ..., "problem": ...}] for each learner who failed.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Which attempt at the task is running the run ("<task id>/<attempt>"), when it last
    # counted a learner, and the last enrolment counted (learners are taken in enrolment
    # order): a worker that dies leaves these behind, and the next attempt takes the run
    # over and carries on after that enrolment (see services.bulk_issuance_run).
    claimed_by = models.CharField(max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    resume_after = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("bulk issuance")
        verbose_name_plural = _("bulk issuances")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def done(self) -> int:
        return self.issued + self.skipped + self.failed

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.state == self.State.FINISHED else 0
        return min(100, Progress(done=self.done, total=self.total).percent)

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.PENDING, self.State.RUNNING)
