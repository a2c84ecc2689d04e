"""The demo timetables for ``seed_demo`` (``demo/content/course/timetable.yaml``): the
2021 programme's sessions for its cohort, with attendance, and a current cohort whose
dates follow today, so the demo always has sessions to come."""

from __future__ import annotations

from datetime import date, time, timedelta

import yaml
from django.db import transaction
from django.utils import timezone

from courses import services as course_services
from courses.models import Cohort, ModulePage
from demo.course import CONTENT
from lms.models import User
from schedule import services
from schedule.models import Session
from schedule.services import local_datetime

WEEKS = 3


def _data() -> dict:
    return yaml.safe_load((CONTENT / "timetable.yaml").read_text(encoding="utf-8"))


def _weekdays(first: date):
    day = first
    while True:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def _programme_sessions(cohort: Cohort, data: dict) -> None:
    modules = list(ModulePage.objects.child_of(cohort.course).order_by("path"))
    trainer = cohort.trainers.order_by("pk").first()
    hours = [[time.fromisoformat(t) for t in pair] for pair in data["hours"]]
    for day, plan in zip(_weekdays(cohort.starts_on), data["days"], strict=False):
        online = plan["format"] == Session.Format.ONLINE
        for (start, end), item in zip(hours, plan["sessions"], strict=True):
            module = modules[item - 1] if isinstance(item, int) else None
            Session.objects.get_or_create(
                cohort=cohort,
                starts_at=local_datetime(day, start),
                defaults={
                    "ends_at": local_datetime(day, end),
                    "title": module.title if module else item,
                    "module": module,
                    "trainer": trainer,
                    "format": plan["format"],
                    "place": "" if online else data["place"],
                    "link": data["link"] if online else "",
                },
            )


def _programme_dates(cohort: Cohort) -> None:
    """Each module opens at 09:00 on the day of its first session and is due at 18:00
    on the weekday after its last (a Friday's module on Monday): copied to the current
    cohort with its timetable, so whatever the day the demo learner has a module open,
    one opening soon, one due next and one overdue."""
    days: dict = {}
    for module_id, starts_at in cohort.sessions.filter(module__isnull=False).values_list(
        "module_id", "starts_at"
    ):
        day = timezone.localtime(starts_at).date()
        first, last = days.get(module_id, (day, day))
        days[module_id] = (min(first, day), max(last, day))
    keys = dict(ModulePage.objects.filter(pk__in=days).values_list("pk", "translation_key"))
    course_services.cohort_dates_set(
        cohort=cohort,
        dates={
            keys[pk]: (
                local_datetime(first, time(9)),
                local_datetime(next(_weekdays(last + timedelta(days=1))), time(18)),
            )
            for pk, (first, last) in days.items()
        },
        actor="seed_demo",
    )


def _current_start(today: date) -> date:
    """A Monday a few days ago: this week's from Wednesday on, else last week's."""
    monday = today - timedelta(days=today.weekday())
    return monday if today.weekday() >= 2 else monday - timedelta(weeks=1)


def _current_cohort(programme: Cohort, data: dict) -> Cohort:
    plan = data["current_cohort"]
    starts_on = _current_start(timezone.localdate())
    ends_on = starts_on + timedelta(weeks=WEEKS) - timedelta(days=3)  # a Friday
    cohort, created = Cohort.objects.get_or_create(
        name=plan["name"],
        defaults={
            "course": programme.course,
            "branch": programme.branch,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "invite_code": plan["invite_code"],
        },
    )
    if not created and cohort.starts_on != starts_on:
        # Seeded on another week: the timetable moves with the dates.
        cohort.sessions.all().delete()
        cohort.item_dates.all().delete()
        cohort.starts_on, cohort.ends_on = starts_on, ends_on
        cohort.save(update_fields=["starts_on", "ends_on"])
    cohort.trainers.add(User.objects.get(email=plan["trainer"]))
    for email in plan["learners"]:
        # One enrolment per course: this moves the learner from the 2021 cohort, so
        # their dashboard shows sessions to come.
        course_services.enrolment_create(learner=User.objects.get(email=email), cohort=cohort)
    services.timetable_copy(source=programme, target=cohort, starts_on=starts_on)
    return cohort


def _attendance(cohort: Cohort, trainer: User) -> None:
    """Everyone came to the sessions held so far, but for one excused and one late."""
    held = list(cohort.sessions.filter(starts_at__lte=timezone.now()).order_by("starts_at"))
    learners = list(cohort.enrolments.values_list("learner_id", flat=True))
    for index, session in enumerate(held):
        status = {3: "excused", 7: "late"}.get(index, "present")
        services.attendance_save(
            session=session, marks=dict.fromkeys(learners, status), actor=trainer
        )


@transaction.atomic
def seed_timetable(*, cohort: Cohort) -> Cohort:
    """The 2021 cohort's timetable and a current cohort; returns the current one."""
    data = _data()
    trainer = User.objects.get(email=data["current_cohort"]["trainer"])
    _programme_sessions(cohort, data)
    _programme_dates(cohort)
    current = _current_cohort(cohort, data)
    _attendance(cohort, trainer)
    _attendance(current, trainer)
    return current
