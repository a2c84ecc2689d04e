"""Security plumbing: the client address used for lockouts, and the audit log.

Security-relevant events (logins, failed logins, lockouts, logouts, role changes) go to
the ``lms.security`` logger with the actor; the log format (lms/observability.py) adds
the UTC time, request id and address, so an operator can answer "who did what, when"
from the logs alone.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

security_log = logging.getLogger("lms.security")


def client_ip(request: HttpRequest) -> str:
    """The address a request came from, trusting only the configured proxies.

    With ``TRUSTED_PROXY_COUNT = 0`` ``X-Forwarded-For`` is ignored: anyone can write
    that header, and a lockout keyed on it could be dodged by changing it. Behind N
    proxies, the N-th address from the right is the last one a trusted proxy wrote.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """The e-mail a sign-in attempt names, as the lockout counts it.

    Sign-in ignores case, so the lockout must too: otherwise "Akim@..." and
    "akim@..." would each get their own allowance of guesses.
    """
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(typed).strip().lower()


def log_event(event: str, *, actor: str, **details: object) -> None:
    """Write one audit line: the event, who did it, and key=value details.

    The message reads well as text; the same facts go to the JSON log as fields
    (``event``, ``actor`` and each detail), beside the request id and address.
    """
    extra = " ".join(f"{key}={value!r}" for key, value in sorted(details.items()))
    security_log.info(
        "event=%s actor=%r %s",
        event,
        actor,
        extra,
        extra={"data": {"event": event, "actor": actor, **details}},
    )


def rate_limited(scope: str, *, address: str | None, limit: int, seconds: int) -> bool:
    """Count one hit of ``scope`` from ``address`` (``client_ip`` of the request); whether
    it has gone past ``limit`` hits in ``seconds``.

    Counted in the shared cache, so every app server sees the same count; while the
    cache cannot count (Redis down), in the database, so the limit holds all the same.
    """
    from lms.cache import CacheUnavailable, count_hit

    key = f"rate:{scope}:{address or ''}"
    try:
        count = count_hit(key, seconds=seconds)
    except CacheUnavailable:
        count = rate_counter_hit(key=key, seconds=seconds)
    return count > limit


PRUNE_EVERY_SECONDS = 60
_pruned_at = [0.0]


def rate_counter_hit(*, key: str, seconds: int, now: datetime | None = None) -> int:
    """Count one event under ``key`` in the database; returns the count in the window.

    Windows are fixed (aligned on multiples of ``seconds``), so a burst across a
    boundary may reach twice the limit, as it may in the cache. One statement inserts
    the row or adds one to it, atomically on SQLite and PostgreSQL alike (Django's
    ORM cannot return the updated count in the same statement). Passed windows are
    deleted at most once a minute per process.
    """
    from lms.models import RateLimitCounter

    now = now or timezone.now()
    stamp = int(now.timestamp())
    window_start = datetime.fromtimestamp(stamp - stamp % seconds, tz=UTC)
    expires_at = window_start + timedelta(seconds=seconds)
    meta = RateLimitCounter._meta
    table, key_, start_, expires_, count_ = (
        connection.ops.quote_name(name)
        for name in (meta.db_table, "key", "window_start", "expires_at", "count")
    )
    # Identifiers only from the model; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({key_}, {start_}, {expires_}, {count_}) "  # noqa: S608
        f"VALUES (%s, %s, %s, 1) ON CONFLICT ({key_}, {start_}) "
        f"DO UPDATE SET {count_} = {table}.{count_} + 1 RETURNING {count_}"
    )
    params = [
        meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in (
            ("key", key),
            ("window_start", window_start),
            ("expires_at", expires_at),
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (count,) = cursor.fetchone()
    if time.monotonic() - _pruned_at[0] >= PRUNE_EVERY_SECONDS:
        _pruned_at[0] = time.monotonic()
        RateLimitCounter.objects.filter(expires_at__lte=now).delete()
    return count
