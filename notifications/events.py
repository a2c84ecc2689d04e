"""The kinds of notification, declared by the apps that send them.

A lower app cannot name the higher ones, so each app declares its events with the
Wagtail hook ``register_notification_events`` (a function returning a list of
:class:`Event`, registered in the app's ``wagtail_hooks.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from wagtail import hooks

HOOK = "register_notification_events"


@dataclass(frozen=True)
class Event:
    """``key`` is stored in rows, so it never changes; ``label`` titles the event's row
    on the preferences page; ``channels`` are the external channels on by default (the
    inbox always receives every notification)."""

    key: str
    label: Promise | str
    channels: tuple[str, ...] = ("email", "telegram", "sms")


def all_events() -> dict[str, Event]:
    """Every registered event by key, in the order the apps declared them."""
    events: dict[str, Event] = {}
    for declare in hooks.get_hooks(HOOK):
        for event in declare():
            events[event.key] = event
    return events
