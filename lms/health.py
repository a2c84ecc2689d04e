"""What ``/healthz/`` reports: one check per dependency, and whether the site can serve.

Each check returns a dict with at least ``"status"`` (``"ok"`` or ``"down"``) and may
add figures of its own. A check marked ``required`` is one the site cannot serve
without (the database): when it is down the answer is 503, so a load balancer takes
the server out. The others (the cache) only make the site slower when they are down:
the answer stays 200 with ``"status": "degraded"``. More checks are added to
:data:`CHECKS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

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


CHECKS: list[Check] = [
    Check("database", database, required=True),
    Check("cache", shared_cache, required=False),
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
