"""The timetable's panel on the learner's dashboard, and the calendar link it shows."""

from __future__ import annotations

from django.urls import reverse
from laces.components import Component

from lms.links import absolute_url
from schedule import selectors
from schedule.models import CalendarFeed


def feed_links(*, user) -> dict:
    """The person's calendar address (https and webcal), or nothing before they ask
    for one (one query)."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return {"feed_url": None, "webcal_url": None}
    path = reverse(
        "schedule_calendar_feed",
        kwargs={"public_id": feed.public_id, "token": selectors.feed_token(feed)},
    )
    url = absolute_url(path)
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


class UpcomingSessionsPanel(Component):
    """The learner's next sessions, and the calendar link to subscribe to. Nothing when
    they are in no cohort with a timetable and have no link yet."""

    name = "sessions"
    order = 100
    template_name = "schedule/dashboard_panel.html"

    def __init__(self, *, request) -> None:
        self.request = request

    def get_context_data(self, parent_context=None) -> dict:
        user = self.request.user
        return {
            "sessions": selectors.upcoming_sessions(user=user),
            "next_url": self.request.get_full_path(),
            "request": self.request,
            **feed_links(user=user),
        }
