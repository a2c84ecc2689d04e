"""Notifying people: the inbox row, its deliveries, sending them and reading them.

``notify`` is the one entry point other apps use. It writes, in one transaction, the
inbox rows (once per event, recipient and target), the unread counters on the user
rows (the header shows them without a query) and a pending delivery per external
channel the recipient wants; after commit a task sends what is due, and the scheduler
job ``send_notifications`` sends what waited for the quiet hours, a retry, or a worker
that died.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import secrets
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone, translation

from lms.links import absolute_url
from lms.models import User
from notifications.channels import (
    Channel,
    ChannelError,
    Outgoing,
    PermanentError,
    RetryableError,
    configured_channels,
)
from notifications.events import all_events
from notifications.models import ContactSettings, Delivery, Notification, Preference

logger = logging.getLogger("notifications")

# A failed send is tried again after these pauses; the attempt after the last one
# that fails marks the delivery failed.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A sender holds a delivery this long; one that died leaves it due again after it.
LEASE = datetime.timedelta(minutes=5)
# Deliveries one run sends at most (the next minute's run takes the rest).
SEND_BATCH = 500


@dataclass(frozen=True)
class Message:
    """What a notification says: ``subject`` one line, ``body`` a few plain lines, ``url``
    a site path or absolute URL (made absolute for the external channels)."""

    subject: str
    body: str
    url: str = ""


def quiet_until(
    *, contact: ContactSettings | None, now: datetime.datetime
) -> datetime.datetime | None:
    """The end of the recipient's quiet hours when ``now`` falls in them, else None.

    Hours are read in the site's zone (Asia/Almaty); without settings the defaults
    (22:00–08:00) hold; the same start and end mean no quiet hours."""
    start = (
        contact.quiet_start if contact else ContactSettings._meta.get_field("quiet_start").default
    )
    end = contact.quiet_end if contact else ContactSettings._meta.get_field("quiet_end").default
    if start == end:
        return None
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    moment = local.time()
    if start < end:
        quiet = start <= moment < end
        end_day = local.date()
    else:  # over midnight
        quiet = moment >= start or moment < end
        end_day = local.date() + datetime.timedelta(days=1) if moment >= start else local.date()
    if not quiet:
        return None
    return datetime.datetime.combine(end_day, end, tzinfo=zone)


def preferences_for(*, user_ids: Iterable[int], event: str) -> dict[tuple[int, str], bool]:
    """The recipients' own choices for ``event``: {(user id, channel): enabled}."""
    rows = Preference.objects.filter(user_id__in=list(user_ids), event=event)
    return {(row.user_id, row.channel): row.enabled for row in rows}


def notify(
    *,
    event: str,
    recipients: Iterable[User],
    target: str,
    message: Callable[[User], Message],
    channels: Collection[str] | None = None,
) -> int:
    """Once per (event, recipient, target): a recipient who already has a notification of
    this event for this target is skipped, so a job that runs twice sends nothing twice
    (a unique constraint backs it under concurrency). ``message(user)`` is called with the
    recipient's preferred language active (translation.override), so callers just use
    gettext. Inbox rows and deliveries are written in bulk; deliveries go out after commit
    through a django-tasks task, within quiet hours they wait. Returns how many were new.

    ``channels``, when given, narrows the external channels to these keys (a trainer's
    announcement goes only where they chose); the recipient's own choices still hold."""
    declared = all_events().get(event)
    if declared is None:
        raise ValueError(f"Unknown notification event {event!r}: register it first.")
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return 0
    batch = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        already = set(
            Notification.objects.filter(
                event=event, target=target, user_id__in=list(people)
            ).values_list("user_id", flat=True)
        )
        rows = []
        for user in people.values():
            if user.pk in already:
                continue
            language = user.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):
                text = message(user)
            rows.append(
                Notification(
                    user=user,
                    event=event,
                    target=target,
                    subject=" ".join(str(text.subject).split())[:255],
                    body=str(text.body).strip(),
                    url=str(text.url)[:500],
                    language=language,
                    batch=batch,
                )
            )
        if not rows:
            return 0
        # A concurrent notify() of the same target may have won some rows since the read
        # above: the constraint drops ours, and only the rows of this batch count.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(Notification.objects.filter(batch=batch).values_list("pk", "user_id"))
        if not created:
            return 0
        User.objects.filter(pk__in=[user_id for _, user_id in created]).update(
            unread_notifications=F("unread_notifications") + 1
        )
        deliveries = _deliveries_plan(
            event=declared.key,
            default_channels=declared.channels,
            only=channels,
            created=created,
            people=people,
            now=now,
        )
        Delivery.objects.bulk_create(deliveries)
        if deliveries:
            transaction.on_commit(lambda: _enqueue(batch))
    return len(created)


def _deliveries_plan(
    *,
    event: str,
    default_channels: tuple[str, ...],
    only: Collection[str] | None,
    created: list[tuple[int, int]],
    people: dict[int, User],
    now: datetime.datetime,
) -> list[Delivery]:
    channels = configured_channels()
    if not channels:
        return []
    user_ids = [user_id for _, user_id in created]
    chosen = preferences_for(user_ids=user_ids, event=event)
    # One query for any number (in_bulk splits a list longer than SQLite's 999 parameters).
    contacts = {row.pk: row for row in ContactSettings.objects.filter(pk__in=user_ids)}
    deliveries = []
    for notification_id, user_id in created:
        contact = contacts.get(user_id)
        wait = quiet_until(contact=contact, now=now)
        for key, channel in channels.items():
            if only is not None and key not in only:
                continue
            if not chosen.get((user_id, key), key in default_channels):
                continue
            if channel.address(people[user_id], contact) is None:
                continue
            deliveries.append(
                Delivery(
                    notification_id=notification_id,
                    channel=key,
                    next_attempt_at=wait or now,
                )
            )
    return deliveries


def _enqueue(batch: uuid.UUID) -> None:
    from notifications.tasks import send_notifications

    send_notifications.enqueue(str(batch))


# Sending -------------------------------------------------------------------------------


def deliveries_send_due(
    *, batch: uuid.UUID | str | None = None, now: datetime.datetime | None = None
) -> int:
    """Send the deliveries that are due (of one ``notify`` batch, or all); returns how
    many were sent. Each is taken with a conditional UPDATE, so two senders never send
    one twice; a failure is retried after a pause, then recorded as failed."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    if batch is not None:
        due = due.filter(notification__batch=batch)
    candidates = list(
        due.order_by("next_attempt_at", "pk").values_list("pk", "next_attempt_at")[:SEND_BATCH]
    )
    if not candidates:
        return 0
    channels = configured_channels()
    sent = 0
    with contextlib.ExitStack() as sessions:
        opened: set[str] = set()
        for pk, seen_at in candidates:
            claimed = Delivery.objects.filter(
                pk=pk, status=Delivery.Status.PENDING, next_attempt_at=seen_at
            ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
            if not claimed:
                continue  # another sender took it
            delivery = Delivery.objects.select_related("notification__user").get(pk=pk)
            channel = channels.get(delivery.channel)
            if channel is not None and channel.key not in opened:
                sessions.enter_context(channel.session())  # one SMTP connection for all
                opened.add(channel.key)
            sent += _deliver(delivery=delivery, channel=channel, now=now)
    return sent


def _deliver(*, delivery: Delivery, channel: Channel | None, now: datetime.datetime) -> int:
    notification = delivery.notification
    user = notification.user
    contact = ContactSettings.objects.filter(user=user).first()
    address = channel.address(user, contact) if channel is not None else None
    if channel is None or address is None or not user.is_active:
        # The channel was switched off, or the person unlinked it since.
        _finish(delivery, status=Delivery.Status.SKIPPED, error="no channel or address")
        return 0
    wait = quiet_until(contact=contact, now=now)
    if wait is not None:  # a retry that fell into the quiet hours: not counted
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=wait, attempts=F("attempts") - 1
        )
        return 0
    outgoing = Outgoing(
        subject=notification.subject,
        body=notification.body,
        url=absolute_url(notification.url) if notification.url else "",
    )
    try:
        with translation.override(notification.language or settings.LANGUAGE_CODE):
            _send(channel, address, outgoing)
    except PermanentError as error:
        if error.unlink:
            channel.unlink(contact)
        logger.warning("Notification %s via %s failed: %s", notification.pk, channel.key, error)
        _finish(delivery, status=Delivery.Status.FAILED, error=str(error))
        return 0
    except RetryableError as error:
        if delivery.attempts >= MAX_ATTEMPTS:
            logger.error(
                "Notification %s via %s failed after %s attempts: %s",
                notification.pk,
                channel.key,
                delivery.attempts,
                error,
            )
            _finish(delivery, status=Delivery.Status.FAILED, error=str(error))
            return 0
        pause = RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS)) - 1]
        if error.retry_after:
            pause = max(pause, datetime.timedelta(seconds=error.retry_after))
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=now + pause, last_error=str(error)[:1000]
        )
        return 0
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return 1


def _send(channel: Channel, address: str, outgoing: Outgoing) -> None:
    """``channel.send``, any unforeseen error (a bug, a reply of an unknown shape) taken
    as one worth retrying: it is logged, and the delivery fails after its attempts."""
    try:
        channel.send(address, outgoing)
    except ChannelError:
        raise
    except Exception as error:
        logger.exception("Notification channel %s raised", channel.key)
        raise RetryableError(f"{channel.key}: {type(error).__name__}") from error


def _finish(delivery: Delivery, *, status: str, error: str) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, last_error=error[:1000], next_attempt_at=None
    )


# Reading -------------------------------------------------------------------------------


def notification_mark_read(*, user: User, notification: Notification) -> bool:
    """Mark one of ``user``'s notifications read; True when it was unread."""
    with transaction.atomic():
        changed = Notification.objects.filter(
            pk=notification.pk, user=user, read_at__isnull=True
        ).update(read_at=timezone.now())
        if changed:
            _unread_lower(user=user, by=changed)
    return bool(changed)


def notifications_mark_all_read(*, user: User) -> int:
    """Mark all of ``user``'s notifications read; returns how many were unread."""
    with transaction.atomic():
        changed = Notification.objects.filter(user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if changed:
            _unread_lower(user=user, by=changed)
    return changed


def _unread_lower(*, user: User, by: int) -> None:
    User.objects.filter(pk=user.pk).update(
        unread_notifications=Greatest(F("unread_notifications") - by, Value(0))
    )
    user.unread_notifications = max(user.unread_notifications - by, 0)


# Choices and contacts ------------------------------------------------------------------


def preferences_save(*, user: User, choices: dict[tuple[str, str], bool]) -> None:
    """Store ``user``'s choices {(event, channel): enabled} for the configured channels;
    a choice equal to the event's default keeps no row, so a changed default reaches
    everyone who never chose otherwise."""
    events = all_events()
    channels = configured_channels()
    with transaction.atomic():
        for (event_key, channel_key), enabled in choices.items():
            event = events.get(event_key)
            if event is None or channel_key not in channels:
                continue
            if enabled == (channel_key in event.channels):
                Preference.objects.filter(user=user, event=event_key, channel=channel_key).delete()
            else:
                Preference.objects.update_or_create(
                    user=user,
                    event=event_key,
                    channel=channel_key,
                    defaults={"enabled": enabled},
                )


def contact_settings_save(*, contact: ContactSettings) -> ContactSettings:
    """Validate and store a person's phone and quiet hours."""
    contact.full_clean()
    contact.save()
    return contact


# How long a "Connect Telegram" link works.
TELEGRAM_LINK_TTL = datetime.timedelta(days=1)


def telegram_link_start(*, user: User) -> str:
    """A fresh one-time start parameter for ``user``'s "Connect Telegram" link (the
    previous one stops working)."""
    token = secrets.token_urlsafe(24)  # [A-Za-z0-9_-], as Telegram's deep links allow
    ContactSettings.objects.update_or_create(
        user=user,
        defaults={"telegram_link_token": token, "telegram_link_created_at": timezone.now()},
    )
    return token


def telegram_link_complete(*, token: str, chat_id: str) -> User | None:
    """Link the chat that sent ``/start <token>`` to the token's user, once; None when the
    token is unknown or expired. A chat serves one account: linked to another, it moves."""
    if not token or len(token) > 64:
        return None
    with transaction.atomic():
        contact = (
            ContactSettings.objects.select_for_update()
            .select_related("user")
            .filter(
                telegram_link_token=token,
                telegram_link_created_at__gte=timezone.now() - TELEGRAM_LINK_TTL,
            )
            .first()
        )
        if contact is None:
            return None
        ContactSettings.objects.filter(telegram_chat_id=chat_id).exclude(pk=contact.pk).update(
            telegram_chat_id=""
        )
        contact.telegram_chat_id = chat_id
        contact.telegram_link_token = ""
        contact.telegram_link_created_at = None
        contact.save(
            update_fields=["telegram_chat_id", "telegram_link_token", "telegram_link_created_at"]
        )
    return contact.user


def telegram_unlink(*, user: User | None = None, chat_id: str | None = None) -> int:
    """Forget a Telegram chat, by its user (the page's button) or by the chat (``/stop``).
    Their pending Telegram deliveries are skipped when their turn comes."""
    contacts = ContactSettings.objects.exclude(telegram_chat_id="")
    if user is not None:
        contacts = contacts.filter(user=user)
    elif chat_id:
        contacts = contacts.filter(telegram_chat_id=chat_id)
    else:
        return 0
    return contacts.update(telegram_chat_id="")
