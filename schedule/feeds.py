"""A person's sessions as an iCalendar file that phones' calendars subscribe to."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lms.links import site_url
from schedule.models import Session

PRODID = "-//Akim Academy//Timetable//EN"


def session_uid(session: Session) -> str:
    """Stable for the life of the session, whatever changes in it."""
    return f"session-{session.pk}@{urlsplit(site_url()).hostname}"


def deadline_uid(deadline) -> str:
    """Stable for a cohort's item, whatever its date becomes."""
    return f"due-{deadline.cohort_id}-{deadline.item_key}@{urlsplit(site_url()).hostname}"


def calendar_ics(*, sessions, name: str, deadlines=()) -> bytes:
    """The sessions as VEVENTs in Asia/Almaty, with the zone's VTIMEZONE. SEQUENCE and
    LAST-MODIFIED grow when a session is edited, so calendars replace their copy.

    ``deadlines`` (``courses.selectors.calendar_deadlines``): each a "Due: ..." event at
    its due time, whose SEQUENCE grows when the cohort's date for it changes. Events,
    not VTODOs: phones' calendars show events and many ignore tasks."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", now)
        event.add("dtstart", timezone.localtime(session.starts_at))
        event.add("dtend", timezone.localtime(session.ends_at))
        event.add("summary", session.title)
        event.add("sequence", session.sequence)
        event.add("last-modified", session.updated_at)
        details = [session.cohort.name]
        if session.module_id:
            details.append(session.module.title)
        if session.trainer_id:
            details.append(_("Trainer: %(name)s") % {"name": session.trainer.full_name})
        if session.format == Session.Format.ONLINE:
            details.append(_("Online"))
        if session.link:
            details.append(session.link)
            event.add("url", session.link)
        event.add("location", session.place or session.link)
        event.add("description", "\n".join(details))
        calendar.add_component(event)
    for deadline in deadlines:
        event = Event()
        event.add("uid", deadline_uid(deadline))
        event.add("dtstamp", now)
        event.add("dtstart", timezone.localtime(deadline.due_at))
        event.add("summary", _("Due: %(title)s") % {"title": deadline.item_title})
        event.add("sequence", deadline.sequence)
        event.add("last-modified", deadline.updated_at)
        event.add("description", deadline.cohort.local_name)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
