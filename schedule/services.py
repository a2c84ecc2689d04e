"""Writes: copying a timetable, taking attendance, renewing a calendar link."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from courses import services as course_services
from courses.models import Cohort, CohortItemDates, ModulePage
from lms.security import log_event
from notifications.services import Message, notify
from schedule import selectors
from schedule.models import Attendance, CalendarFeed, CourseAttendanceRule, Session


def local_datetime(day: date, time) -> datetime:
    """A day and a wall-clock time in Asia/Almaty (the site's zone), made aware."""
    return timezone.make_aware(datetime.combine(day, time))


@transaction.atomic
def timetable_copy(*, source: Cohort, target: Cohort, starts_on: date) -> int:
    """Copy ``source``'s sessions into ``target``, its first day moved to ``starts_on``
    and every session keeping its weekday offset and wall-clock times.

    Idempotent: a session already at that time in ``target`` is left as it is, so
    running the copy twice adds nothing. Modules are kept when they belong to the
    target's course, trainers when they teach the target cohort. The source's release
    and due dates move by the same number of days (see ``_item_dates_copy``). Returns
    how many sessions were added.
    """
    if source.pk == target.pk:
        raise ValidationError(_("Choose another cohort to copy from."), code="same_cohort")
    sessions = list(source.sessions.order_by("starts_at"))
    first_day = timezone.localtime(sessions[0].starts_at).date() if sessions else source.starts_on
    shift = starts_on - first_day
    _item_dates_copy(source=source, target=target, shift=shift)
    if not sessions:
        return 0
    modules = set(ModulePage.objects.descendant_of(target.course).values_list("pk", flat=True))
    trainers = set(target.trainers.values_list("pk", flat=True))
    existing = set(target.sessions.values_list("starts_at", flat=True))
    copies = []
    for session in sessions:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        starts_at = local_datetime(start.date() + shift, start.time())
        if starts_at in existing:
            continue
        copies.append(
            Session(
                cohort=target,
                title=session.title,
                starts_at=starts_at,
                ends_at=local_datetime(end.date() + shift, end.time()),
                module_id=session.module_id if session.module_id in modules else None,
                trainer_id=session.trainer_id if session.trainer_id in trainers else None,
                format=session.format,
                place=session.place,
                link=session.link,
            )
        )
    # The unique (cohort, starts_at) constraint settles a concurrent copy.
    created = Session.objects.bulk_create(copies, ignore_conflicts=True)
    return len(created)


def _shifted(moment: datetime | None, shift) -> datetime | None:
    """The same wall-clock time in Almaty, ``shift`` days later (None stays None)."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return local_datetime(local.date() + shift, local.time())


def _item_dates_copy(*, source: Cohort, target: Cohort, shift) -> None:
    """The source's release and due dates, moved by ``shift``, for the target, when
    both cohorts take the same course (the dates name its items). Dates the target
    has already are left as they are, so copying twice changes nothing."""
    if source.course.translation_key != target.course.translation_key:
        return
    CohortItemDates.objects.bulk_create(
        [
            CohortItemDates(
                cohort=target,
                item_key=row.item_key,
                opens_at=_shifted(row.opens_at, shift),
                due_at=_shifted(row.due_at, shift),
            )
            for row in CohortItemDates.objects.filter(cohort=source)
        ],
        ignore_conflicts=True,
    )


def attendance_save(*, session: Session, marks: dict[int, str], actor) -> int:
    """Record each learner's mark for a session, as given (a learner left out keeps
    their mark). ``marks`` maps a learner's id to a status; a learner who is not on the
    cohort's sheet, or an unknown status, rejects the whole set. Then learners the
    attendance rule was holding back are completed. Returns how many marks were saved.
    """
    enrolments = {
        e.learner_id: e for e in selectors.cohort_enrolments(session.cohort).select_related(None)
    }
    if set(marks) - set(enrolments):
        raise ValidationError(_("Someone on this list is not in the cohort."), code="learner")
    if set(marks.values()) - set(Attendance.Status.values):
        raise ValidationError(_("Choose one of the marks offered."), code="status")
    now = timezone.now()
    with transaction.atomic():
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    learner_id=learner_id,
                    status=status,
                    marked_by=actor,
                    marked_at=now,
                )
                for learner_id, status in marks.items()
            ],
            update_conflicts=True,
            unique_fields=["session", "learner"],
            update_fields=["status", "marked_by", "marked_at"],
        )
    log_event("attendance", actor=actor.email, session=session.pk, marks=len(marks))
    _complete_if_met(session=session, enrolments=[enrolments[pk] for pk in marks])
    return len(marks)


def _complete_if_met(*, session: Session, enrolments) -> None:
    """Completion waits for attendance where the course asks for it: a mark may be the
    last thing a learner needed."""
    course = session.cohort.course
    # The rule may be set on any language copy of the course, as attendance_met reads it.
    if not CourseAttendanceRule.objects.filter(
        course__translation_key=course.translation_key
    ).exists():
        return
    for enrolment in enrolments:
        if enrolment.completed_at is None and course_services.completion_met(
            enrolment=enrolment, course=course
        ):
            course_services.completion_record(enrolment=enrolment)


def calendar_feed_renew(*, user) -> CalendarFeed:
    """Give the user a calendar address; a new one revokes the one they had."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.public_id = uuid.uuid4()
        feed.created_at = timezone.now()
        feed.save(update_fields=["public_id", "created_at"])
    log_event("calendar_feed_renew", actor=user.email)
    return feed


def session_reminders_send(*, day: date | None = None) -> str:
    """Remind the learners and the trainer of every session on ``day`` (tomorrow in
    Asia/Almaty) of its time and its place or link. Once per session and start time: a
    second run sends nothing, a session moved to another time reminds again."""
    day = day or timezone.localdate() + timedelta(days=1)
    reminders = selectors.sessions_on(day=day)
    sent = 0
    for reminder in reminders:
        session = reminder.session
        start = timezone.localtime(session.starts_at)
        recipients = list(reminder.learners)
        if session.trainer is not None:
            recipients.append(session.trainer)

        def message(person, session=session) -> Message:
            return Message(
                subject=_("Tomorrow at %(time)s: %(title)s")
                % {
                    "time": time_format(timezone.localtime(session.starts_at)),
                    "title": session.title,
                },
                body="\n".join(session_lines(session)),
                url=reverse("dashboard"),
            )

        sent += notify(
            event="session_tomorrow",
            recipients=recipients,
            target=f"session:{session.pk}:{start:%Y-%m-%dT%H:%M}",
            message=message,
        )
    return f"{sent} reminders for {len(reminders)} sessions"


def start_of(session: Session) -> datetime:
    return timezone.localtime(session.starts_at)


def session_lines(session: Session) -> list[str]:
    """What a reminder says of a session, in the active language: the cohort, the day
    and times (Asia/Almaty), and where: the place, or the link to join online."""
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    lines = [
        session.cohort.local_name,
        _("%(day)s, %(start)s–%(end)s (Almaty time)")
        % {
            "day": date_format(start.date(), "DATE_FORMAT"),
            "start": time_format(start),
            "end": time_format(end),
        },
    ]
    if session.format == Session.Format.ONLINE:
        lines.append(_("Online: %(link)s") % {"link": session.link or "—"})
    if session.place:
        lines.append(_("Place: %(place)s") % {"place": session.place})
    return lines
