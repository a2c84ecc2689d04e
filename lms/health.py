"""What ``/healthz/`` reports: one check per dependency, and whether the site can serve.

Each check returns a dict with at least ``"status"`` (``"ok"`` or ``"down"``) and may
add figures of its own. A check marked ``required`` is one the site cannot serve
without (the database): when it is down the answer is 503, so a load balancer takes
the server out. The others (the cache, the task queues, the scheduler) only make the
site slower, or its background work late, when they are down: the answer stays 200
with ``"status": "degraded"``. More checks are added to :data:`CHECKS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], dict]
    required: bool


def database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            ok = cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        ok = False
    return {"status": "ok" if ok else "down"}


def shared_cache() -> dict:
    """Whether the cache answers. With Redis this is one PING bounded by the short
    timeout, and no wait at all while the cache is paused after a failure."""
    ping = getattr(cache, "ping", None)
    if ping is not None:
        return {"status": "ok" if ping() else "down"}
    try:  # local memory, or another backend without a ping
        cache.set("healthz", "ok", 10)
        ok = cache.get("healthz") == "ok"
    except Exception:
        logger.exception("Health check: cache unreachable")
        ok = False
    return {"status": "ok" if ok else "down"}


def tasks() -> dict:
    """The task queues: per queue, the tasks waiting, how long the oldest has waited
    (seconds) and the live workers taking from it. Down when a queue's oldest task has
    waited longer than ``TASK_WAIT_ALERT_SECONDS`` (no worker, or too few). Two queries;
    nothing to report while tasks run inline."""
    from lms import background

    if not background.uses_database_backend():
        return {"status": "ok", "backend": "inline"}
    waiting = background.waiting_tasks()
    workers = background.live_workers()
    queues = {}
    for name in sorted(set(settings.TASK_QUEUES) | set(waiting)):
        queue = waiting.get(name, {"waiting": 0, "oldest_seconds": 0})
        queues[name] = {
            **queue,
            "workers": sum(1 for worker in workers if background.serves(worker, name)),
        }
    late = any(
        queue["oldest_seconds"] > settings.TASK_WAIT_ALERT_SECONDS for queue in queues.values()
    )
    return {"status": "down" if late else "ok", "queues": queues}


def scheduler() -> dict:
    """Whether the scheduler (``manage.py run_scheduler``) has started a job in the
    last three minutes (the task recovery runs every minute)."""
    from django.db.models import Max
    from django.utils import timezone

    from lms.models import ScheduledJob

    last = ScheduledJob.objects.aggregate(last=Max("last_started_at"))["last"]
    if last is None:
        return {"status": "down", "last_job_seconds": None}
    age = round((timezone.now() - last).total_seconds())
    return {"status": "ok" if age <= SCHEDULER_SILENT_SECONDS else "down", "last_job_seconds": age}


SCHEDULER_SILENT_SECONDS = 180

CHECKS: list[Check] = [
    Check("database", database, required=True),
    Check("cache", shared_cache, required=False),
    Check("tasks", tasks, required=False),
    Check("scheduler", scheduler, required=False),
]


def report() -> tuple[dict, int]:
    """The body of ``/healthz/`` and its HTTP status."""
    results: dict[str, dict] = {}
    for check in CHECKS:
        try:
            results[check.name] = check.run()
        except Exception:
            logger.exception("Health check %s failed", check.name)
            results[check.name] = {"status": "down"}
    down = [check for check in CHECKS if results[check.name]["status"] != "ok"]
    if any(check.required for check in down):
        status, code = "down", 503
    else:
        status, code = ("degraded" if down else "ok"), 200
    return {"status": status, "checks": results}, code
