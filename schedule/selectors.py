"""Reads: timetables, attendance sheets and shares, calendar feeds; each in a fixed
number of queries, however many sessions or learners."""

from __future__ import annotations

import functools
import hmac
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from courses.models import Cohort, CoursePage, Enrolment
from courses.reports import cohorts_visible_to
from courses.selectors import VISIBLE_STATUSES, active_learners
from lms import sql
from schedule.models import Attendance, CalendarFeed, CourseAttendanceRule, Session

FEED_SALT = "schedule.calendar_feed"


def sessions_visible_to(user) -> QuerySet[Session]:
    """The sessions of the cohorts the user may see: the cohort admin's own rule."""
    return Session.objects.filter(cohort__in=cohorts_visible_to(user))


def session_for_trainer(*, user, session_id: int) -> Session | None:
    """A session whose attendance the user may take (its cohort's trainer, or staff who
    see every cohort); None for anyone else or a session that does not exist."""
    if not user.is_authenticated:
        return None
    return (
        sessions_visible_to(user)
        .select_related("cohort__course", "module", "trainer")
        .filter(pk=session_id)
        .first()
    )


def cohort_for_trainer(*, user, cohort_id: int) -> Cohort | None:
    if not user.is_authenticated:
        return None
    return cohorts_visible_to(user).filter(pk=cohort_id).first()


def cohort_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    """The learners on a cohort's attendance sheet: active or completed, by name."""
    return (
        Enrolment.objects.filter(cohort=cohort, status__in=VISIBLE_STATUSES)
        .select_related("learner")
        .order_by("learner__full_name", "pk")
    )


@dataclass
class SheetRow:
    enrolment: Enrolment
    status: str  # "" when not marked yet


def attendance_sheet(*, session: Session) -> list[SheetRow]:
    """Every learner of the session's cohort with their mark (two queries)."""
    marks = dict(Attendance.objects.filter(session=session).values_list("learner_id", "status"))
    return [
        SheetRow(enrolment=enrolment, status=marks.get(enrolment.learner_id, ""))
        for enrolment in cohort_enrolments(session.cohort)
    ]


@dataclass
class TimetableDay:
    day: date
    sessions: list[Session] = field(default_factory=list)


def timetable(*, cohort: Cohort) -> list[TimetableDay]:
    """A cohort's sessions grouped by their day in Asia/Almaty (one query)."""
    days: dict[date, TimetableDay] = {}
    for session in cohort.sessions.select_related("module", "trainer").order_by("starts_at"):
        day = timezone.localtime(session.starts_at).date()
        days.setdefault(day, TimetableDay(day=day)).sessions.append(session)
    return list(days.values())


@dataclass(frozen=True)
class UpcomingSession:
    """What the dashboard shows of a session, read as plain values (no models built):
    the session's fields, its cohort's name and its trainer's name."""

    pk: int
    starts_at: datetime
    ends_at: datetime
    title: str
    format: str
    place: str
    link: str
    cohort_name: str
    trainer_id: int | None
    trainer_name: str | None


_UPCOMING_FIELDS = ("id", "starts_at", "ends_at", "title", "format", "place", "link")


@functools.cache
def _upcoming_sql(vendor: str) -> str:
    """Written out once per process: every signed-in learner's dashboard asks it, and
    compiling its joins cost ten times reading the five rows."""
    user = get_user_model()
    s, c, e, t = "s", "c", "e", "t"
    statuses = ", ".join(["%s"] * len(VISIBLE_STATUSES))
    return (
        f"SELECT {sql.columns(Session, _UPCOMING_FIELDS, s)}, "  # noqa: S608
        f"{sql.column(Cohort, 'name', c)}, {sql.column(Session, 'trainer', s)}, "
        f"{sql.column(user, 'full_name', t)} "
        f"FROM {sql.table(Session)} {s} "
        f"INNER JOIN {sql.table(Cohort)} {c} "
        f"ON {sql.column(Cohort, 'id', c)} = {sql.column(Session, 'cohort', s)} "
        f"INNER JOIN {sql.table(Enrolment)} {e} "
        f"ON {sql.column(Enrolment, 'cohort', e)} = {sql.column(Cohort, 'id', c)} "
        f"LEFT OUTER JOIN {sql.table(user)} {t} "
        f"ON {sql.column(user, 'id', t)} = {sql.column(Session, 'trainer', s)} "
        f"WHERE {sql.column(Enrolment, 'learner', e)} = %s "
        f"AND {sql.column(Enrolment, 'status', e)} IN ({statuses}) "
        f"AND {sql.column(Session, 'ends_at', s)} >= %s "
        f"ORDER BY {sql.column(Session, 'starts_at', s)} ASC LIMIT %s"
    )


def upcoming_sessions(*, user, limit: int = 5) -> list[UpcomingSession]:
    """The next sessions (not yet over) of the cohorts the learner is in (one
    written-out query)."""
    params = [
        user.pk,
        *(str(status) for status in VISIBLE_STATUSES),
        sql.param(Session, "ends_at", timezone.now()),
        limit,
    ]
    dates = [None, Session._meta.get_field("starts_at"), Session._meta.get_field("ends_at")]
    rows = sql.fetch(_upcoming_sql(connection.vendor), params)
    return [UpcomingSession(*row) for row in sql.converted_rows(dates, rows)]


def feed_public_id(*, user) -> UUID | None:
    """The public id of the person's calendar feed, or None before they ask for one (one
    written-out query: the dashboard asks it of everyone)."""
    rows = sql.fetch(_feed_sql(connection.vendor), [user.pk])
    public_id = CalendarFeed._meta.get_field("public_id")
    return sql.converted_rows([public_id], rows)[0][0] if rows else None


@functools.cache
def _feed_sql(vendor: str) -> str:
    return (
        f"SELECT {sql.column(CalendarFeed, 'public_id')} "  # noqa: S608
        f"FROM {sql.table(CalendarFeed)} WHERE {sql.column(CalendarFeed, 'user')} = %s"
    )


def feed_sessions(*, user) -> QuerySet[Session]:
    """Everything on a person's calendar: the sessions of the cohorts they learn in or
    teach, and those they lead."""
    learning = Enrolment.objects.filter(learner=user, status__in=VISIBLE_STATUSES).values("cohort")
    return (
        Session.objects.filter(Q(cohort__in=learning) | Q(cohort__trainers=user) | Q(trainer=user))
        .distinct()
        .select_related("cohort", "module", "trainer")
        .order_by("starts_at")
    )


@dataclass
class Share:
    attended: int
    held: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.held) if self.held else None

    def __str__(self) -> str:
        if not self.held:
            return "—"
        return f"{self.percent}% ({self.attended}/{self.held})"


def attendance_shares(*, enrolments: Iterable[Enrolment]) -> dict[int, Share]:
    """Per enrolment: sessions attended (present or late) of those held so far in its
    cohort (two queries, and one for ``enrolments`` if it is a queryset not loaded yet).
    Anything with the ``pk``, ``learner_id`` and ``cohort_id`` of an enrolment will do
    (the progress report's rows)."""
    enrolments = list(enrolments)
    cohorts = {enrolment.cohort_id for enrolment in enrolments}
    now = timezone.now()
    held = dict(
        Session.objects.filter(cohort__in=cohorts, starts_at__lte=now)
        .values("cohort")
        .annotate(n=Count("pk"))
        .values_list("cohort", "n")
    )
    attended: dict[tuple[int, int], int] = defaultdict(int)
    for learner_id, cohort_id, n in (
        Attendance.objects.filter(
            learner__in={enrolment.learner_id for enrolment in enrolments},
            session__cohort__in=cohorts,
            status__in=Attendance.ATTENDED,
        )
        .values("learner", "session__cohort")
        .annotate(n=Count("pk"))
        .values_list("learner", "session__cohort", "n")
    ):
        attended[(learner_id, cohort_id)] = n
    return {
        enrolment.pk: Share(
            attended=attended[(enrolment.learner_id, enrolment.cohort_id)],
            held=held.get(enrolment.cohort_id, 0),
        )
        for enrolment in enrolments
    }


def attendance_met(*, enrolment: Enrolment, course: CoursePage) -> bool:
    """Has the learner attended the share of their cohort's sessions the course asks?

    Counted out of every session on the timetable, held or not, so that finishing the
    online work early does not complete the course before the classes are attended.
    """
    rule = CourseAttendanceRule.objects.filter(course__translation_key=enrolment.course_key).first()
    if rule is None:
        return True
    total = Session.objects.filter(cohort=enrolment.cohort_id).count()
    if not total:
        return True  # a cohort without a timetable has nothing to attend
    attended = Attendance.objects.filter(
        session__cohort=enrolment.cohort_id,
        learner=enrolment.learner_id,
        status__in=Attendance.ATTENDED,
    ).count()
    return attended * 100 >= rule.min_percent * total


@dataclass
class Grid:
    sessions: list[Session]
    rows: list[tuple[Enrolment, list[str]]]  # a status (or "") per session


def attendance_grid(*, cohort: Cohort) -> Grid:
    """Sessions × learners of a cohort (three queries)."""
    sessions = list(cohort.sessions.order_by("starts_at"))
    marks = {
        (session_id, learner_id): status
        for session_id, learner_id, status in Attendance.objects.filter(
            session__cohort=cohort
        ).values_list("session_id", "learner_id", "status")
    }
    rows = [
        (enrolment, [marks.get((s.pk, enrolment.learner_id), "") for s in sessions])
        for enrolment in cohort_enrolments(cohort)
    ]
    return Grid(sessions=sessions, rows=rows)


def feed_token(feed: CalendarFeed) -> str:
    return salted_hmac(FEED_SALT, str(feed.public_id), algorithm="sha256").hexdigest()[:40]


def feed_by_token(*, public_id: UUID, token: str) -> CalendarFeed | None:
    """The feed this address opens, or None (revoked, or a token not made for it)."""
    feed = CalendarFeed.objects.select_related("user").filter(public_id=public_id).first()
    if feed is None or not hmac.compare_digest(feed_token(feed), token):
        return None
    if not feed.user.is_active:
        return None
    return feed


@dataclass
class SessionReminder:
    """A session with who is reminded of it: its cohort's active learners and its
    trainer."""

    session: Session
    learners: list = field(default_factory=list)


def sessions_on(*, day: date) -> list[SessionReminder]:
    """The sessions that start on ``day`` (in Asia/Almaty), each with its cohort's
    active learners (two queries, however many sessions or learners)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    sessions = list(
        Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("cohort__course", "trainer")
        .order_by("starts_at", "pk")
    )
    learners = active_learners({session.cohort_id for session in sessions})
    return [
        SessionReminder(session=session, learners=learners[session.cohort_id])
        for session in sessions
    ]
