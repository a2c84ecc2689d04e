"""The trainer's timetable and attendance pages (phone-sized, outside the admin), the
calendar feed, and the button that makes a new feed address."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from courses import selectors as course_selectors
from schedule import feeds, selectors, services
from schedule.models import Attendance
from schedule.panels import feed_links

MARK_PREFIX = "learner-"


@login_required
def timetable(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """A cohort's sessions by day, for its trainers (and staff who see every cohort)."""
    cohort = selectors.cohort_for_trainer(user=request.user, cohort_id=cohort_id)
    if cohort is None:
        raise Http404
    context = {
        "cohort": cohort,
        "days": selectors.timetable(cohort=cohort),
        **feed_links(user=request.user),
    }
    return render(request, "schedule/timetable.html", context)


def _marks(post) -> dict[int, str]:
    """The marks given in the form: ``learner-<id>`` → status. A learner left unmarked
    sends nothing (radio buttons), so keeps their mark."""
    marks = {}
    for key, value in post.items():
        if key.startswith(MARK_PREFIX):
            try:
                marks[int(key.removeprefix(MARK_PREFIX))] = value
            except ValueError:
                raise ValidationError(_("Choose one of the marks offered.")) from None
    return marks


@login_required
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """Take a session's attendance: one row per learner, one tap per mark, one submit."""
    session = selectors.session_for_trainer(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            saved = services.attendance_save(
                session=session, marks=_marks(request.POST), actor=request.user
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                ngettext("Attendance saved: %(n)s mark.", "Attendance saved: %(n)s marks.", saved)
                % {"n": saved},
            )
            return redirect("schedule_attendance", session_id=session.pk)
    context = {
        "session": session,
        "rows": selectors.attendance_sheet(session=session),
        "statuses": Attendance.Status.choices,
        "prefix": MARK_PREFIX,
        "error": error,
    }
    return render(request, "schedule/attendance.html", context, status=400 if error else 200)


def calendar_feed(request: HttpRequest, public_id: UUID, token: str) -> HttpResponse:
    """The person's sessions as iCalendar: the address is the only credential, so a
    revoked or forged one is a plain 404."""
    feed = selectors.feed_by_token(public_id=public_id, token=token)
    if feed is None:
        raise Http404
    with translation.override(feed.user.preferred_language or "ru"):
        body = feeds.calendar_ics(
            sessions=selectors.feed_sessions(user=feed.user),
            deadlines=course_selectors.calendar_deadlines(user=feed.user),
            name=_("Akim Academy timetable"),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="timetable.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
@login_required
def calendar_feed_new(request: HttpRequest) -> HttpResponse:
    """Make a calendar address (a new one revokes the old)."""
    services.calendar_feed_renew(user=request.user)
    messages.success(
        request,
        _("Your calendar link is ready. Any link you had before no longer works."),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboard")
    return redirect(target)
