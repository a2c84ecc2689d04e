"""The periodic jobs, run by one long-lived process: ``manage.py run_scheduler``.

Each job is a plain function called in the scheduler's own process (a thread per
running job), not a task queued for the workers: the stale-task recovery must not wait
for the workers it rescues, the minute jobs must not queue behind a bulk run or PDF
renders, and a job that only finds nothing to do should not leave a task result behind
every minute. Django boots once, instead of for every cron line.

Several schedulers may run (one per app server, or an old one still stopping during a
deploy); for each due time of each job exactly one of them runs it. The lock is the
job's row in the database (``lms.models.ScheduledJob``), not Redis, which may be down:
a scheduler runs a job only after a conditional UPDATE moved the row's ``next_run_at``
past now and leased the row to it. Under PostgreSQL the job also holds an advisory
lock while it runs, so a scheduler that stalled past its lease (and whose job another
scheduler then started) cannot run it a second time at once.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import socket
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, connections
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from lms import ledger
from lms.models import ScheduledJob

logger = logging.getLogger("lms.background")

# How often the scheduler looks for due jobs, and how long a job's lease lasts between
# renewals (a scheduler renews the leases of the jobs it runs on every look).
TICK_SECONDS = 5
LEASE = timedelta(seconds=60)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Job:
    """A function (dotted path, no arguments) run ``every`` so often (at multiples of
    it since 2000-01-01 UTC) or daily at ``daily_at`` in the site's time zone."""

    name: str
    target: str
    every: timedelta | None = None
    daily_at: time | None = None

    def next_after(self, moment: datetime) -> datetime:
        """The first due time after ``moment``."""
        if self.every is not None:
            return _EPOCH + self.every * ((moment - _EPOCH) // self.every + 1)
        assert self.daily_at is not None
        zone = ZoneInfo(settings.TIME_ZONE)
        local = moment.astimezone(zone)
        due = datetime.combine(local.date(), self.daily_at, tzinfo=zone)
        if due <= local:
            due = datetime.combine(local.date() + timedelta(days=1), self.daily_at, tzinfo=zone)
        return due

    def first_due(self, now: datetime) -> datetime:
        """A job seen for the first time: at once when it repeats within the day, else
        at its next daily time."""
        return now if self.every is not None else self.next_after(now)

    @property
    def function(self) -> Callable[[], object]:
        return import_string(self.target)


MINUTE = timedelta(minutes=1)
JOBS: list[Job] = [
    Job("recover_stale_tasks", "lms.background.stale_tasks_recover", every=MINUTE),
    Job("publish_scheduled", "lms.scheduler.publish_scheduled", every=MINUTE),
    Job("close_overdue_attempts", "quizzes.services.close_overdue_attempts", every=MINUTE),
    Job("release_quiz_results", "quizzes.services.release_due_results", every=MINUTE),
    # Deliveries that waited for quiet hours or a retry, or that a dead worker left.
    Job("send_notifications", "notifications.services.deliveries_send_due", every=MINUTE),
    Job("fold_article_views", "cms.services.article_views_fold", every=5 * MINUTE),
    # A cohort's module opening and its tests closing within a day (courses/reminders.py).
    Job("notify_module_opens", "courses.reminders.module_opens_notify", every=15 * MINUTE),
    Job("notify_test_closes_soon", "courses.reminders.test_closes_soon_notify", every=15 * MINUTE),
    Job("prune_task_results", "lms.background.task_results_prune", daily_at=time(3, 15)),
    Job("verify_history", "lms.scheduler.verify_history", daily_at=time(2, 30)),
    # Reminders for tomorrow go out in the early evening, nudges in the morning.
    Job("remind_cohort_starts", "courses.reminders.cohort_start_reminders_send", daily_at=time(18)),
    Job("remind_sessions", "schedule.services.session_reminders_send", daily_at=time(18)),
    Job("nudge_falling_behind", "courses.reminders.falling_behind_nudges_send", daily_at=time(10)),
]


# Jobs that wrap a command --------------------------------------------------------------


def publish_scheduled() -> str:
    """Wagtail's scheduled publishing: go live and expire pages and snippets on time."""
    from django.core.management import call_command

    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue().strip()


class HistoryBroken(Exception):
    """``verify_history`` found a broken link or a record that differs from the chain."""


def verify_history() -> str:
    """The nightly check of the tamper-evident history. The "last entry" of each chain
    is logged, to be kept elsewhere (``manage.py verify_history --expect``); a problem
    fails the job and is logged as an error (and so reaches Sentry when configured)."""
    reports = ledger.verify_history()
    for report in reports:
        logger.info(
            "verify_history: %s: %s entries; last entry %s:%s:%s",
            report.chain,
            report.entries,
            report.chain,
            report.last_sequence,
            report.last_hash,
        )
    found = [str(problem) for problem in ledger.problems(reports)]
    if found:
        raise HistoryBroken("; ".join(found[:20]))
    return f"OK: {len(reports)} chains, {sum(report.entries for report in reports)} entries"


# The lock --------------------------------------------------------------------------------


def _advisory_key(name: str) -> int:
    digest = hashlib.sha256(f"lms.scheduler:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _advisory_lock(name: str):
    """On PostgreSQL, a session lock held while the job runs: yields False when another
    session holds it. Elsewhere (SQLite: one machine) the row's lease is the lock."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _advisory_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


class Scheduler:
    """Runs the jobs that are due, each at most once per due time across every
    scheduler sharing the database."""

    def __init__(self, *, jobs: list[Job] | None = None, owner: str | None = None) -> None:
        self.jobs = {job.name: job for job in (JOBS if jobs is None else jobs)}
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"
        self.threads: dict[str, threading.Thread] = {}

    def ensure_rows(self, *, now: datetime) -> None:
        known = set(ScheduledJob.objects.values_list("name", flat=True))
        for job in self.jobs.values():
            if job.name not in known:
                try:
                    ScheduledJob.objects.get_or_create(
                        name=job.name, defaults={"next_run_at": job.first_due(now)}
                    )
                except IntegrityError:  # another scheduler made it at the same moment
                    pass

    def claim(self, job: Job, *, now: datetime) -> bool:
        """Take the job's due time: one conditional UPDATE that one scheduler wins."""
        return bool(
            ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .update(
                next_run_at=job.next_after(now),
                locked_by=self.owner,
                locked_until=now + LEASE,
                last_started_at=now,
                runs=F("runs") + 1,
            )
        )

    def tick(self, *, now: datetime | None = None, inline: bool = False) -> list[str]:
        """Start every job that is due and not running; returns their names. ``inline``
        runs them one after another in this thread (``--once`` and the tests)."""
        now = now or timezone.now()
        self.ensure_rows(now=now)
        self._renew_leases(now=now)
        due = ScheduledJob.objects.filter(name__in=self.jobs, next_run_at__lte=now).filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now)
        )
        started = []
        for name in due.values_list("name", flat=True):
            job = self.jobs[name]
            if name in self.threads or not self.claim(job, now=now):
                continue
            started.append(name)
            if inline:
                self.run(job)
            else:
                thread = threading.Thread(
                    target=self._run_in_thread, args=(job,), name=f"job-{name}", daemon=True
                )
                self.threads[name] = thread
                thread.start()
        return started

    def _renew_leases(self, *, now: datetime) -> None:
        for name, thread in list(self.threads.items()):
            if not thread.is_alive():
                del self.threads[name]
        if self.threads:
            ScheduledJob.objects.filter(name__in=self.threads, locked_by=self.owner).update(
                locked_until=now + LEASE
            )

    def _run_in_thread(self, job: Job) -> None:
        try:
            self.run(job)
        finally:
            connections.close_all()  # this thread's own connections

    def run(self, job: Job) -> None:
        """Run a job this scheduler has claimed, and record how it went."""
        started = timezone.now()
        outcome, message = "ok", ""
        with _advisory_lock(job.name) as held:
            if not held:
                logger.warning("scheduled job %s: still running elsewhere; skipped", job.name)
                outcome, message = "skipped", "still running elsewhere"
            else:
                try:
                    result = job.function()
                    message = "" if result is None else str(result)
                except Exception as exc:
                    logger.exception("scheduled job %s failed", job.name)
                    outcome, message = "failed", f"{exc.__class__.__name__}: {exc}"
        finished = timezone.now()
        # Every minute's routine run at DEBUG; the row keeps the last one (--list).
        logger.log(
            logging.DEBUG if outcome == "ok" else logging.WARNING,
            "scheduled job %s: %s in %.0f ms%s",
            job.name,
            outcome,
            (finished - started).total_seconds() * 1000,
            f" ({message})" if message else "",
        )
        ScheduledJob.objects.filter(name=job.name, locked_by=self.owner).update(
            locked_by="",
            locked_until=None,
            last_finished_at=finished,
            last_outcome=outcome,
            last_message=message[:2000],
        )

    def serve(self, stop: threading.Event) -> None:
        """Look for due jobs every ``TICK_SECONDS`` until ``stop`` is set, then wait for
        the running jobs to end."""
        logger.info("scheduler %s: started with %s", self.owner, ", ".join(self.jobs))
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # the database may be away a moment; go on
                logger.exception("scheduler %s: could not look for due jobs", self.owner)
            finally:
                connections["default"].close_if_unusable_or_obsolete()
            stop.wait(TICK_SECONDS)
        for thread in list(self.threads.values()):
            thread.join()
        logger.info("scheduler %s: stopped", self.owner)
