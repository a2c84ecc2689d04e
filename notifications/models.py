"""Inbox rows, their deliveries through the external channels, and people's choices."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person in their inbox: at most one per (user, event, target),
    which is what makes sending idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=64)
    target = models.CharField(_("target"), max_length=200)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The recipient's language when it was written: the channels' own words (the
    # e-mail's footer) are in the same language as the message.
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    # The notify() call that wrote it: its deliveries are sent by one task.
    batch = models.UUIDField(_("batch"), db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "target"], name="notifications_once_per_target"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notifications_inbox"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notifications_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """A notification's way out through one external channel (e-mail, Telegram, SMS)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When a sender may take it next: the end of the quiet hours, the next retry, or the
    # end of the lease of a sender that took it (one that died leaves it due again).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notifications_delivery_once"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notifications_due"),
        ]

    def __str__(self) -> str:
        return f"{self.notification} → {self.channel}"


class Preference(models.Model):
    """A person's choice for one event and channel; without a row the event's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=20)
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="notifications_preference_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event} {self.channel} {self.enabled}"


phone_validator = RegexValidator(
    r"^\+7\d{10}$", _("Enter the number as +7 and ten digits, e.g. +77011234567.")
)


class ContactSettings(models.Model):
    """Where a person's messages may go outside the site, and when not to disturb."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_contact",
        verbose_name=_("user"),
    )
    telegram_chat_id = models.CharField(_("Telegram chat"), max_length=32, blank=True)
    # The start parameter of the "Connect Telegram" link; used once, for a day.
    telegram_link_token = models.CharField(max_length=64, blank=True, db_index=True)
    telegram_link_created_at = models.DateTimeField(null=True, blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=12, blank=True, validators=[phone_validator]
    )
    # In Asia/Almaty; the same start and end turn the quiet hours off.
    quiet_start = models.TimeField(_("quiet hours from"), default=datetime.time(22, 0))
    quiet_end = models.TimeField(_("quiet hours until"), default=datetime.time(8, 0))

    class Meta:
        verbose_name = _("notification contacts")
        verbose_name_plural = _("notification contacts")

    def __str__(self) -> str:
        return str(self.user_id)
