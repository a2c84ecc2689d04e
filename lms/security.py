"""Security plumbing: the client address used for lockouts, and the audit log.

Security-relevant events (logins, failed logins, lockouts, logouts, role changes) go to
the ``lms.security`` logger with the actor; the log format (lms/observability.py) adds
the UTC time, request id and address, so an operator can answer "who did what, when"
from the logs alone.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest

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


def rate_limited(scope: str, *, request: HttpRequest, limit: int, seconds: int) -> bool:
    """Whether the request's address has gone past ``limit`` hits of ``scope`` in
    ``seconds``. Counted in the shared cache, so every app server sees the same count."""
    from django.core.cache import cache

    key = f"rate:{scope}:{client_ip(request)}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count > limit
