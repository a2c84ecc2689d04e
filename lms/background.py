"""Background work that survives a crash: worker heartbeats, tasks cut off by a dead
worker put back in their queue, finished results pruned, and how long tasks wait.

django-tasks-db marks a task RUNNING when a worker claims it, and SUCCESSFUL or FAILED
when it ends. A worker killed in between (SIGKILL, out of memory, a deploy that does
not wait, a machine that goes away) leaves it RUNNING for good: the library has no way
back. Our worker (``manage.py db_worker``, ``lms/management/commands/db_worker.py``)
writes a heartbeat every ``TASK_WORKER_HEARTBEAT_SECONDS``; a RUNNING task whose
worker has been silent for ``TASK_WORKER_STALE_SECONDS`` goes back to the head of its
queue (:func:`stale_tasks_recover`, run by every worker as it starts and now and then
while it runs, and by the scheduler every minute) and the next worker runs it again
from the start. Every task is therefore written to be run again: each claims its work
with a conditional update, and the long ones take over the work of the attempt that
died and carry on where it stopped (:func:`attempt_token`). A task whose workers died
under it ``TASK_MAX_ATTEMPTS`` times is failed instead, since it may be what kills
them; ``task_finished`` is sent for it, so the run it drove is failed cleanly and can
be started again.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from traceback import format_exception

from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from lms.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A task whose worker died under it this many times is failed rather than tried again.
TASK_MAX_ATTEMPTS = 3
# Heartbeats of workers gone this long are deleted by the pruning job.
WORKERS_FORGOTTEN_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """The workers running a task stopped without finishing it, too many times."""


def uses_database_backend() -> bool:
    """Whether tasks go through the database (a worker runs them) or run inline."""
    return isinstance(task_backends["default"], DatabaseBackend)


# Heartbeats -------------------------------------------------------------------------------


def worker_beat(*, worker_id: str, queues: str) -> None:
    """The worker is alive (one UPDATE; the row is made on the first beat)."""
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "queues": queues[:200],
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "seen_at": now,
            },
        )


def worker_stopped(*, worker_id: str) -> None:
    """A worker that stops cleanly (its task finished) leaves no heartbeat behind."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.TASK_WORKER_STALE_SECONDS)


def live_workers(*, now: datetime | None = None) -> list[WorkerHeartbeat]:
    now = now or timezone.now()
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=_stale_before(now)))


# Recovery ---------------------------------------------------------------------------------


@dataclass
class Recovery:
    """What :func:`stale_tasks_recover` did: ids of the tasks queued again and failed."""

    requeued: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"requeued {len(self.requeued)}, abandoned {len(self.abandoned)}"


def stale_tasks_recover(*, now: datetime | None = None) -> Recovery:
    """Put back in their queue the RUNNING tasks whose worker is no longer alive.

    A task goes to the head of its queue (``run_after`` now, ahead of the tasks queued
    without one) to be run again from the start. One whose workers died under it
    ``TASK_MAX_ATTEMPTS`` times is failed with :class:`WorkerLost` and ``task_finished``
    is sent for it. Each change is a conditional UPDATE on the task as it was read, so
    recoveries running at once (workers, the scheduler) act on a task once.
    """
    now = now or timezone.now()
    recovery = Recovery()
    running = list(DBTaskResult.objects.running())
    if not running:
        return recovery
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=_stale_before(now)).values_list(
            "worker_id", flat=True
        )
    )
    for task in running:
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if worker in alive:
            continue
        as_read = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= TASK_MAX_ATTEMPTS:
            if _abandon(task, as_read, now=now):
                recovery.abandoned.append(str(task.pk))
            continue
        if as_read.update(status=TaskResultStatus.READY, started_at=None, run_after=now):
            logger.warning(
                "task %s (%s) was cut off: its worker %s stopped; queued again",
                task.pk,
                task.task_path,
                worker,
            )
            recovery.requeued.append(str(task.pk))
    return recovery


def _abandon(task: DBTaskResult, as_read, *, now: datetime) -> bool:
    error = WorkerLost(
        f"The workers running this task stopped without finishing it {len(task.worker_ids)} "
        "times; it is not tried again."
    )
    updated = as_read.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        return_value=None,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback="".join(format_exception(error)),
    )
    if not updated:
        return False
    logger.error("task %s (%s) failed: %s", task.pk, task.task_path, error)
    task.refresh_from_db()
    try:
        task_result = task.task_result
        sender = type(task_result.task.get_backend())
    except Exception:  # a task whose code is gone: nothing to tell
        logger.exception("task %s: its code cannot be loaded", task.pk)
        return True
    task_finished.send(sender=sender, task_result=task_result)
    return True


# Telling attempts apart -----------------------------------------------------------------


def attempt_token(context: TaskContext | None) -> str:
    """Names one attempt at a task: ``"<task id>/<attempt>"``.

    A long task records it on the run it claims. When its worker dies, recovery hands
    the same task to another worker as the next attempt, which may then take the run
    over (:func:`earlier_attempt`). Called without a task (tests, benchmarks, a shell),
    a token of its own that nothing takes over.
    """
    if context is None:
        return f"direct-{os.urandom(8).hex()}/1"
    return f"{context.task_result.id}/{context.attempt}"


def earlier_attempt(token: str, *, field_name: str = "claimed_by") -> Q:
    """Rows claimed by another attempt at the same task as ``token``. Recovery only
    queues a task again once its worker is dead, so such a claim is orphaned."""
    task_id = token.rpartition("/")[0]
    return Q(**{f"{field_name}__startswith": f"{task_id}/"}) & ~Q(**{field_name: token})


# Pruning ----------------------------------------------------------------------------------


def task_results_prune() -> int:
    """Delete finished task results: successes after ``TASK_RESULTS_KEEP_DAYS``, failures
    after ``TASK_FAILURES_KEEP_DAYS`` (with django-tasks-db's own command); and the
    heartbeats of workers gone for a day. Returns the results deleted."""
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - WORKERS_FORGOTTEN_AFTER).delete()
    if not uses_database_backend():
        return 0
    before = DBTaskResult.objects.count()
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=settings.TASK_RESULTS_KEEP_DAYS,
        failed_min_age_days=settings.TASK_FAILURES_KEEP_DAYS,
        verbosity=0,
    )
    return max(0, before - DBTaskResult.objects.count())


# Waiting ----------------------------------------------------------------------------------


def waiting_tasks(*, now: datetime | None = None) -> dict[str, dict]:
    """Per queue: the tasks ready to run and how long the oldest has waited, in seconds
    (one query). A task put back by recovery waits from the moment it was put back."""
    now = now or timezone.now()
    never = get_date_max()
    rows = (
        DBTaskResult.objects.ready()
        .order_by()
        .values("queue_name")
        .annotate(
            waiting=Count("pk"),
            queued=Min("enqueued_at", filter=Q(run_after=never)),
            due=Min("run_after", filter=~Q(run_after=never)),
        )
    )
    queues: dict[str, dict] = {}
    for row in rows:
        since = min(moment for moment in (row["queued"], row["due"]) if moment is not None)
        queues[row["queue_name"]] = {
            "waiting": row["waiting"],
            "oldest_seconds": max(0, round((now - since).total_seconds())),
        }
    return queues


def serves(worker: WorkerHeartbeat, queue: str) -> bool:
    """Whether the worker takes tasks from the queue (``queues`` as the worker wrote it:
    names, or ``*`` followed by ``-name`` for each queue it leaves out)."""
    names = worker.queues.split(",")
    return queue in names or ("*" in names and f"-{queue}" not in names)
