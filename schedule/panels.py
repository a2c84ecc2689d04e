"""The timetable's panel on the learner's dashboard, and the calendar link it shows."""

from __future__ import annotations

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from laces.components import Component

from lms.components import form_token
from lms.links import absolute_url
from lms.page_generation import DrawnMemo
from schedule import selectors
from schedule.models import CalendarFeed


def feed_links(*, user) -> dict:
    """The person's calendar address (https and webcal), or nothing before they ask
    for one (one query)."""
    public_id = selectors.feed_public_id(user=user)
    if public_id is None:
        return {"feed_url": None, "webcal_url": None}
    feed = CalendarFeed(user_id=user.pk, public_id=public_id)
    path = reverse(
        "schedule_calendar_feed",
        kwargs={"public_id": feed.public_id, "token": selectors.feed_token(feed)},
    )
    url = absolute_url(path)
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


# A session's line as the dashboard shows it, by everything the line is drawn from:
# every signed-in learner's dashboard draws the same few sessions of their cohort, and
# each line formats five dates. Keyed by the values themselves (never by the learner),
# so an edit makes a new key and nothing needs clearing; old keys fall out.
_LINES = DrawnMemo(size=512)


def session_line(session: selectors.UpcomingSession) -> str:
    """``schedule/includes/session.html`` for ``session`` with its cohort shown,
    drawn once per process for the same values, language and time zone."""

    def draw() -> str:
        # the template reads a session's cohort and trainer as objects
        shown = SimpleNamespace(
            **vars(session),
            cohort=SimpleNamespace(name=session.cohort_name),
            trainer=(
                SimpleNamespace(full_name=session.trainer_name)
                if session.trainer_id is not None
                else None
            ),
        )
        return render_to_string(
            "schedule/includes/session.html", {"session": shown, "show_cohort": True}
        )

    return _LINES.get((get_language(), timezone.get_current_timezone_name(), session), draw)


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
            "sessions": [
                session_line(session) for session in selectors.upcoming_sessions(user=user)
            ],
            "next_url": self.request.get_full_path(),
            "request": self.request,
            **form_token(request=self.request, parent_context=parent_context),
            **feed_links(user=user),
        }
