"""Reads for the inbox and the preferences page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from lms.models import User
from notifications.channels import Channel, configured_channels
from notifications.events import all_events
from notifications.models import ContactSettings, Notification, Preference


def inbox(*, user: User) -> QuerySet[Notification]:
    """``user``'s notifications, newest first."""
    return Notification.objects.filter(user=user).only(
        "pk", "subject", "body", "url", "created_at", "read_at"
    )


def notification_for(*, user: User, pk: int) -> Notification | None:
    """One of ``user``'s own notifications (another's is None, so a 404)."""
    return Notification.objects.filter(user=user, pk=pk).first()


def contact_for(*, user: User) -> ContactSettings:
    """``user``'s contact settings; unsaved defaults when they never chose any."""
    return ContactSettings.objects.filter(user=user).first() or ContactSettings(user=user)


@dataclass(frozen=True)
class Choice:
    channel: Channel
    enabled: bool
    name: str


@dataclass(frozen=True)
class PreferenceRow:
    key: str
    label: str
    choices: list[Choice]


def preference_table(*, user: User) -> list[PreferenceRow]:
    """Events × configured external channels, each cell the user's choice or the default."""
    channels = configured_channels()
    chosen = {
        (row.event, row.channel): row.enabled
        for row in Preference.objects.filter(user=user, channel__in=list(channels))
    }
    return [
        PreferenceRow(
            key=event.key,
            label=str(event.label),
            choices=[
                Choice(
                    channel=channel,
                    enabled=chosen.get((event.key, key), key in event.channels),
                    name=preference_field_name(event=event.key, channel=key),
                )
                for key, channel in channels.items()
            ],
        )
        for event in all_events().values()
    ]


def preference_field_name(*, event: str, channel: str) -> str:
    return f"pref:{event}:{channel}"
