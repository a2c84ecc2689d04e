"""The scheduler: each periodic job wired, due times, and the lock that lets several
schedulers run side by side with each due job run by one of them."""

import io
import logging
import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from lms import scheduler as scheduling
from lms.models import ScheduledJob
from lms.scheduler import JOBS, Job, Scheduler

pytestmark = pytest.mark.django_db

RUNS: list[str] = []


def count_run() -> str:
    """A job for these tests: it records each run."""
    RUNS.append(threading.current_thread().name)
    return f"run {len(RUNS)}"


def fail() -> None:
    raise RuntimeError("the job broke")


@pytest.fixture(autouse=True)
def _no_runs_yet():
    RUNS.clear()
    yield
    RUNS.clear()


T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
JOBS_BY_NAME = {job.name: job for job in JOBS}
EVERY_MINUTE = Job("counted", "tests.lms.test_scheduler.count_run", every=timedelta(minutes=1))


# The jobs ----------------------------------------------------------------------------------


def test_the_periodic_jobs_are_declared_and_importable():
    assert {job.name: (job.every, job.daily_at) for job in JOBS} == {
        "recover_stale_tasks": (timedelta(minutes=1), None),
        "publish_scheduled": (timedelta(minutes=1), None),
        "close_overdue_attempts": (timedelta(minutes=1), None),
        "release_quiz_results": (timedelta(minutes=1), None),
        "send_notifications": (timedelta(minutes=1), None),
        "fold_article_views": (timedelta(minutes=5), None),
        "notify_module_opens": (timedelta(minutes=15), None),
        "notify_test_closes_soon": (timedelta(minutes=15), None),
        "prune_task_results": (None, time(3, 15)),
        "verify_history": (None, time(2, 30)),
        "remind_cohort_starts": (None, time(18)),
        "remind_sessions": (None, time(18)),
        "nudge_falling_behind": (None, time(10)),
    }
    for job in JOBS:
        assert callable(import_string(job.target)), job.target


@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.name)
def test_each_job_calls_its_function_when_due(job, monkeypatch):
    module, _, name = job.target.rpartition(".")
    calls = []
    monkeypatch.setattr(import_string(module), name, lambda: calls.append(name) or 3)
    scheduler = Scheduler(jobs=[job], owner="only")
    scheduler.ensure_rows(now=T0)
    assert scheduler.tick(now=job.next_after(T0) - timedelta(seconds=1), inline=True) == (
        [job.name] if job.every else []  # a repeating job is due at once, a daily one waits
    )
    assert scheduler.tick(now=job.next_after(T0), inline=True) == [job.name]
    assert calls == [name] * (2 if job.every else 1)
    row = ScheduledJob.objects.get(name=job.name)
    assert (row.last_outcome, row.last_message, row.locked_by) == ("ok", "3", "")


def test_run_scheduler_once_runs_every_job_due_and_they_work(home_pages):
    """Straight after a first start every repeating job is due; each really runs."""
    from cms.models import StandardPage

    page = StandardPage(title="Расписание", slug="timetable", live=False)
    home_pages["ru"].add_child(instance=page)
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()

    output = io.StringIO()
    call_command("run_scheduler", once=True, stdout=output)

    ran = {line.removeprefix("ran ") for line in output.getvalue().split()} - {"ran"}
    assert ran == {job.name for job in JOBS if job.every}
    outcomes = dict(ScheduledJob.objects.values_list("name", "last_outcome"))
    assert {outcomes[name] for name in ran} == {"ok"}
    assert outcomes["verify_history"] == outcomes["prune_task_results"] == ""  # not yet due
    page.refresh_from_db()
    assert page.live  # Wagtail's scheduled publishing ran

    listing = io.StringIO()
    call_command("run_scheduler", "--list", stdout=listing)
    assert "publish_scheduled: next" in listing.getvalue()


def test_a_failing_job_is_recorded_and_logged_and_runs_again_next_time(caplog):
    job = Job("broken", "tests.lms.test_scheduler.fail", every=timedelta(minutes=1))
    with caplog.at_level(logging.ERROR, logger="lms.background"):
        Scheduler(jobs=[job], owner="a").tick(now=T0, inline=True)
    row = ScheduledJob.objects.get(name="broken")
    assert (row.last_outcome, row.last_message) == ("failed", "RuntimeError: the job broke")
    assert "scheduled job broken failed" in caplog.text
    assert Scheduler(jobs=[job], owner="a").tick(now=T0 + timedelta(minutes=1), inline=True)


def test_verify_history_fails_the_job_on_a_broken_chain():
    from lms.ledger import ledger_append
    from tests.lms.test_ledger import tamper

    for n in range(3):
        ledger_append(
            chain="villages", subject=f"village:{n}", action="register", actor="r", payload={}
        )
    assert scheduling.verify_history() == "OK: 3 chains, 3 entries"  # and two empty ones
    tamper("DELETE FROM lms_ledgerentry WHERE sequence = 2")
    nightly = Scheduler(jobs=[JOBS_BY_NAME["verify_history"]], owner="a")
    nightly.ensure_rows(now=T0)  # due at 02:30 in Almaty, 21:30 UTC
    assert nightly.tick(now=datetime(2026, 3, 2, 21, 30, tzinfo=UTC), inline=True)
    row = ScheduledJob.objects.get(name="verify_history")
    assert row.last_outcome == "failed"
    assert row.last_message.startswith("HistoryBroken: villages") and "missing" in row.last_message


# Due times ---------------------------------------------------------------------------------


def test_due_times():
    five = Job("x", "x", every=timedelta(minutes=5))
    assert five.next_after(datetime(2026, 3, 2, 6, 7, 30, tzinfo=UTC)) == datetime(
        2026, 3, 2, 6, 10, tzinfo=UTC
    )
    assert five.next_after(datetime(2026, 3, 2, 6, 10, tzinfo=UTC)) == datetime(
        2026, 3, 2, 6, 15, tzinfo=UTC
    )
    nightly = Job("y", "y", daily_at=time(2, 30))  # in Asia/Almaty, UTC+5
    assert nightly.next_after(datetime(2026, 3, 2, 6, 0, tzinfo=UTC)) == datetime(
        2026, 3, 2, 21, 30, tzinfo=UTC
    )
    assert nightly.next_after(datetime(2026, 3, 2, 21, 30, tzinfo=UTC)) == datetime(
        2026, 3, 3, 21, 30, tzinfo=UTC
    )


def test_a_job_missed_while_no_scheduler_ran_runs_once_then_keeps_its_times():
    scheduler = Scheduler(jobs=[EVERY_MINUTE], owner="a")
    scheduler.tick(now=T0, inline=True)
    assert scheduler.tick(now=T0 + timedelta(hours=3, seconds=20), inline=True) == ["counted"]
    assert len(RUNS) == 2
    assert ScheduledJob.objects.get().next_run_at == T0 + timedelta(hours=3, minutes=1)


# The lock ----------------------------------------------------------------------------------


def test_of_two_schedulers_one_runs_each_due_job():
    first, second = (
        Scheduler(jobs=[EVERY_MINUTE], owner="a"),
        Scheduler(jobs=[EVERY_MINUTE], owner="b"),
    )
    for minute in range(3):
        now = T0 + timedelta(minutes=minute, seconds=1)
        assert len(first.tick(now=now, inline=True) + second.tick(now=now, inline=True)) == 1
        assert len(second.tick(now=now, inline=True) + first.tick(now=now, inline=True)) == 0
    assert len(RUNS) == 3
    assert ScheduledJob.objects.get().runs == 3


def test_a_job_still_running_elsewhere_is_not_started_until_its_lease_ends():
    every_ten = Job("counted", "tests.lms.test_scheduler.count_run", every=timedelta(seconds=10))
    first, second = Scheduler(jobs=[every_ten], owner="a"), Scheduler(jobs=[every_ten], owner="b")
    assert first.claim(every_ten, now=T0 + timedelta(seconds=1)) is False  # no row yet
    first.ensure_rows(now=T0)
    assert first.claim(every_ten, now=T0)  # "a" runs it, for longer than its interval
    assert second.tick(now=T0 + timedelta(seconds=30), inline=True) == []
    # "a" died without releasing it: once the lease is over, "b" takes it.
    assert second.tick(now=T0 + scheduling.LEASE + timedelta(seconds=1), inline=True) == ["counted"]


def test_a_scheduler_renews_the_lease_of_the_jobs_it_is_running():
    scheduler = Scheduler(jobs=[EVERY_MINUTE], owner="a")
    release = threading.Event()
    scheduler.threads["counted"] = thread = threading.Thread(target=release.wait)
    thread.start()
    scheduler.ensure_rows(now=T0)
    scheduler.claim(EVERY_MINUTE, now=T0)
    try:
        scheduler.tick(now=T0 + timedelta(seconds=50))
        assert ScheduledJob.objects.get().locked_until == T0 + timedelta(seconds=50) + (
            scheduling.LEASE
        )
    finally:
        release.set()
        thread.join()


def test_postgresql_advisory_lock_keeps_a_stalled_job_from_running_twice(postgres):
    """A scheduler that stalled past its lease still holds the job's advisory lock: the
    scheduler that took the job over skips it rather than run it at the same time."""
    import psycopg

    settings_dict = connection.settings_dict
    other = psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [scheduling._advisory_key("counted")])
        Scheduler(jobs=[EVERY_MINUTE], owner="b").tick(now=T0, inline=True)
        row = ScheduledJob.objects.get()
        assert RUNS == [] and row.last_outcome == "skipped"
    finally:
        other.close()
    Scheduler(jobs=[EVERY_MINUTE], owner="b").tick(now=T0 + timedelta(minutes=1), inline=True)
    assert len(RUNS) == 1


@pytest.mark.django_db(transaction=True)
def test_schedulers_in_threads_at_the_same_moment_run_each_job_once(postgres):
    """Real concurrency on PostgreSQL: four schedulers look at the same moment, three
    due times in a row."""
    jobs = [
        Job(f"counted-{n}", "tests.lms.test_scheduler.count_run", every=timedelta(minutes=1))
        for n in range(3)
    ]
    Scheduler(jobs=jobs, owner="setup").ensure_rows(now=T0)
    for minute in range(3):
        now = T0 + timedelta(minutes=minute, seconds=1)
        barrier = threading.Barrier(4)

        def look(owner, now=now, barrier=barrier):
            try:
                barrier.wait()
                Scheduler(jobs=jobs, owner=owner).tick(now=now, inline=True)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=look, args=(f"s{n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(RUNS) == 9
    assert dict(ScheduledJob.objects.values_list("name", "runs")) == {job.name: 3 for job in jobs}


def _due_times_between(job: Job, start: datetime, end: datetime) -> int:
    count, moment = 0, job.next_after(start)
    while moment <= end:
        count, moment = count + 1, job.next_after(moment)
    return count


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_share_the_jobs(shared_database, tmp_path):
    """Two ``run_scheduler --once`` processes started together: every job that is due
    runs once, in one or the other."""
    from tests.processes import Process

    started = timezone.now()
    processes = [
        Process(
            ["run_scheduler", "--once"],
            database_url=shared_database,
            log=tmp_path / f"scheduler-{n}.log",
            env={},
        )
        for n in range(2)
    ]
    for process in processes:
        assert process.popen.wait(timeout=180) == 0, process.output()
    ended = timezone.now()
    ran = [
        line.removeprefix("ran ")
        for process in processes
        for line in process.output().splitlines()
        if line.startswith("ran ")
    ]
    # A job runs once per due time. On a slow machine the two processes may look on
    # either side of a due time: then the job is due again, and a second run is right.
    for job in JOBS:
        if not job.every:
            continue
        allowed = 1 + _due_times_between(job, started, ended)
        assert 1 <= ran.count(job.name) <= allowed, (job.name, ran, started, ended)
        runs = ScheduledJob.objects.get(name=job.name).runs
        assert runs == ran.count(job.name)
    assert not set(ran) - {job.name for job in JOBS if job.every}
