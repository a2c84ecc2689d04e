"""A cohort's timetable, who came to each session, and each person's calendar feed.

Times are stored aware (UTC in the database) and entered and shown in Asia/Almaty, the
site's ``TIME_ZONE``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    """One class of a cohort: a day's morning or afternoon, face to face or online."""

    class Format(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("face to face")
        ONLINE = "online", _("online")

    cohort = models.ForeignKey(
        "courses.Cohort",
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("cohort"),
    )
    title = models.CharField(_("title"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    module = models.ForeignKey(
        "courses.ModulePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions_led",
        verbose_name=_("trainer"),
    )
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.FACE_TO_FACE
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    link = models.URLField(_("online link"), blank=True)
    # iCalendar's SEQUENCE: a calendar replaces its copy of an event only when it grows.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            # One session at a time in a cohort: what makes copying a timetable idempotent.
            models.UniqueConstraint(
                fields=["cohort", "starts_at"], name="one_session_per_cohort_and_start"
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{start:%Y-%m-%d %H:%M} {self.title}"

    def save(self, *args, **kwargs):
        if self.pk:
            self.sequence += 1
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)


class Attendance(models.Model):
    """Whether one learner came to one session, as the trainer marked it."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("learner"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    # Present and late both count as attended.
    ATTENDED = (Status.PRESENT, Status.LATE)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"], name="one_attendance_per_session_and_learner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.session}: {self.get_status_display()}"


class CourseAttendanceRule(models.Model):
    """The share of a cohort's sessions a learner must attend to complete a course.

    Kept here rather than on the course page, so the courses app needs nothing of the
    timetable: its completion rule asks this app through a hook.
    """

    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="attendance_rule",
        verbose_name=_("course"),
    )
    min_percent = models.PositiveSmallIntegerField(
        _("minimum attendance, %"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Present and late count as attended, out of all the cohort's sessions."),
    )

    class Meta:
        verbose_name = _("attendance requirement")
        verbose_name_plural = _("attendance requirements")

    def __str__(self) -> str:
        return f"{self.course.title}: {self.min_percent}%"


class CalendarFeed(models.Model):
    """A person's calendar subscription. The secret in its address is an HMAC of
    ``public_id`` under the site's key, so the database holds no usable link; a new
    ``public_id`` revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
