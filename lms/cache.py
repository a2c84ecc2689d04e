"""Django's Redis cache, made a performance component rather than a point of failure.

* **django-redis underneath.** The Redis calls are django-redis's (it keeps one client
  per server, which Django's own backend rebuilds on every call at a cost as high as
  the round trip); this module adds what it lacks, at the level of Django's cache API.
* **Short timeouts.** Connecting and each reply are bounded by ``socket_timeout``
  (0.25 s unless configured, ``REDIS_TIMEOUT_SECONDS``), where redis-py has none: a
  Redis that accepts connections and never answers must not hold a page for seconds.
* **Fail-soft.** When Redis cannot be reached, times out, or refuses writes (loading,
  read-only, out of memory, failed snapshots), reads return their default, writes are
  dropped, ``incr`` raises ``ValueError`` as for a missing key: to its callers the
  cache looks empty, so everything that uses it falls back to the database by itself.
* **A pause after a failure** (a circuit breaker, ``REDIS_BREAKER_SECONDS``, 5 s): the
  process skips Redis altogether for that long, then lets one call through to see
  whether it answers again. A black-holed Redis costs each process one timeout per
  pause, not one per call. The first failure of an outage is logged once, and so is
  the recovery.
* **Lost writes are undone on recovery.** A write that did not reach Redis may leave
  an older value there (a session that was since signed out, the page-cache
  generation a publish bumped): the keys of dropped writes are remembered (up to
  ``STALE_KEYS_LIMIT``) and deleted before Redis is used again, so nothing stale is
  read back once it answers.

Rate limits must not silently stop counting, so :meth:`RedisCache.hit` raises
:class:`CacheUnavailable` instead of pretending (``lms.security.rate_limited`` then
counts in the database).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django_redis.cache import RedisCache as DjangoRedisCache
from redis import Redis
from redis import exceptions as redis_errors

logger = logging.getLogger("lms.cache")

DEFAULT_SOCKET_TIMEOUT = 0.25
DEFAULT_BREAKER_SECONDS = 5.0
# Keys of writes dropped during one outage that are deleted when Redis is back. Past
# this, the rest may be read back stale until they expire (the recovery line says so).
STALE_KEYS_LIMIT = 10_000

# Errors that mean "Redis cannot serve now", as opposed to a mistake in the call.
UNAVAILABLE = (
    redis_errors.ConnectionError,  # refused, reset, DNS, authentication, still loading
    redis_errors.TimeoutError,
    redis_errors.ReadOnlyError,  # a replica after a failover
    redis_errors.OutOfMemoryError,
)


def _unavailable(error: Exception) -> bool:
    if isinstance(error, UNAVAILABLE):
        return True
    # Writes refused because the server cannot save its snapshot.
    return isinstance(error, redis_errors.ResponseError) and str(error).startswith("MISCONF")


class CacheUnavailable(Exception):
    """The shared cache cannot be used now (for callers that must not pretend)."""


def _clock() -> float:
    return time.monotonic()


class Breaker:
    """This process's view of one Redis server: answering, or paused after a failure.

    Shared by the threads of a process (Django keeps one cache object per thread).
    """

    CLOSED, PROBE, OPEN = "closed", "probe", "open"

    def __init__(self, name: str, seconds: float) -> None:
        self.name = name
        self.seconds = seconds
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.failures = 0
        self.stale: set[str] = set()
        self.stale_overflow = 0
        self.last_error = ""

    def admit(self) -> str:
        """CLOSED: use Redis. PROBE: this caller alone tries it again. OPEN: skip it."""
        if self.down_since is None:  # the common case, without the lock
            return self.CLOSED
        with self.lock:
            if self.down_since is None:
                return self.CLOSED
            now = _clock()
            if now < self.retry_at:
                return self.OPEN
            self.retry_at = now + self.seconds  # the others keep skipping meanwhile
            return self.PROBE

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = _clock()
            first = self.down_since is None
            if first:
                self.down_since = now
            self.retry_at = now + self.seconds
            self.failures += 1
            self.last_error = type(error).__name__
        if first:
            logger.warning(
                "Redis at %s is unavailable (%s: %s): serving without the cache, "
                "trying again every %g s",
                self.name,
                type(error).__name__,
                error,
                self.seconds,
            )

    def remember_stale(self, keys: Iterable[str]) -> None:
        with self.lock:
            for key in keys:
                if len(self.stale) < STALE_KEYS_LIMIT:
                    self.stale.add(key)
                else:
                    self.stale_overflow += 1

    def take_stale(self) -> list[str]:
        with self.lock:
            return list(self.stale)

    def recovered(self, deleted: list[str]) -> bool:
        """Close, unless writes were dropped while ``deleted`` were being deleted."""
        with self.lock:
            self.stale.difference_update(deleted)
            if self.stale:
                return False
            if self.down_since is None:
                return True
            seconds = _clock() - self.down_since
            overflow = self.stale_overflow
            self.down_since = None
            self.stale_overflow = 0
            self.last_error = ""
        logger.warning(
            "Redis at %s answers again after %.1f s; %d keys written meanwhile were deleted%s",
            self.name,
            seconds,
            len(deleted),
            f", {overflow} more may be stale until they expire" if overflow else "",
        )
        return True

    @property
    def is_down(self) -> bool:
        return self.down_since is not None


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(servers: list[str], seconds: float) -> Breaker:
    name = ",".join(servers)
    with _breakers_lock:
        breaker = _breakers.get(name)
        if breaker is None:
            shown = ",".join(_redacted(server) for server in servers)
            breaker = _breakers[name] = Breaker(shown, seconds)
        breaker.seconds = seconds
        return breaker


def reset_breakers() -> None:
    """Forget every outage (tests, or a process that wants a clean start)."""
    with _breakers_lock:
        _breakers.clear()


def _redacted(location: str) -> str:
    """The server address for the log, without a password in the URL."""
    if "@" in location:
        scheme, _sep, rest = location.partition("://")
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return location


_MISSING = object()


class RedisCache(BaseCache):
    """Redis through django-redis, with short timeouts, fail-soft calls and a breaker.

    ``OPTIONS`` may set ``socket_timeout`` and ``socket_connect_timeout`` (seconds,
    0.25 by default) and ``breaker_seconds`` (5 by default); the rest go to django-redis
    as they are. django-redis keeps one connection pool per URL and process.
    """

    def __init__(self, server, params) -> None:
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        breaker_seconds = float(options.pop("breaker_seconds", DEFAULT_BREAKER_SECONDS))
        timeout = options.pop("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        options["SOCKET_TIMEOUT"] = timeout
        options["SOCKET_CONNECT_TIMEOUT"] = options.pop("socket_connect_timeout", timeout)
        self.backend = DjangoRedisCache(server, {**params, "OPTIONS": options})
        servers = server.split(",") if isinstance(server, str) else list(server)
        self.breaker = breaker_for(servers, breaker_seconds)

    def redis(self, *, write: bool = True) -> Redis:
        """The redis-py client (one per server), for what the cache API cannot say."""
        return self.backend.client.get_client(write=write)

    # The guard every call goes through.

    def _call(self, operation: Callable[[], Any], *, default: Any, writes: Iterable[str] = ()):
        """Run ``operation`` against Redis, or return ``default`` when it cannot answer.

        ``writes`` are the (full) keys the operation changes: when it is dropped they
        are remembered, and deleted as soon as Redis answers again.
        """
        state = self.breaker.admit()
        if state == Breaker.OPEN:
            self.breaker.remember_stale(writes)
            return default
        try:
            if state == Breaker.PROBE:
                self._recover()
            return operation()
        except Exception as error:
            if not _unavailable(error):
                raise
            self.breaker.failed(error)
            self.breaker.remember_stale(writes)
            return default

    def _recover(self) -> None:
        """Delete the keys whose writes were dropped, then declare Redis back.

        Raises what Redis raises, so a server still down keeps the pause going.
        """
        client = self.redis()
        deleted: list[str] = []
        while True:
            stale = self.breaker.take_stale()
            if stale:
                for start in range(0, len(stale), 500):
                    client.delete(*stale[start : start + 500])
            else:
                client.ping()
            deleted += stale
            if self.breaker.recovered(deleted):
                return

    # Django's cache API, each call guarded. Keys are made here only to validate them
    # and to know which to delete after an outage; django-redis makes the same ones.

    def _key(self, key, version) -> str:
        return self.make_and_validate_key(key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self._key(key, version)
        return self._call(
            lambda: self.backend.add(key, value, timeout, version), default=False, writes=[made]
        )

    def get(self, key, default=None, version=None):
        self._key(key, version)
        return self._call(lambda: self.backend.get(key, default, version), default=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self._key(key, version)
        self._call(
            lambda: self.backend.set(key, value, timeout, version), default=None, writes=[made]
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        made = self._key(key, version)
        return self._call(
            lambda: bool(self.backend.touch(key, timeout, version)), default=False, writes=[made]
        )

    def delete(self, key, version=None):
        made = self._key(key, version)
        return self._call(
            lambda: bool(self.backend.delete(key, version)), default=False, writes=[made]
        )

    def get_many(self, keys, version=None):
        keys = list(keys)
        for key in keys:
            self._key(key, version)
        return self._call(lambda: self.backend.get_many(keys, version), default={})

    def has_key(self, key, version=None):
        self._key(key, version)
        return self._call(lambda: self.backend.has_key(key, version), default=False)

    def incr(self, key, delta=1, version=None):
        made = self._key(key, version)
        value = self._call(
            lambda: self.backend.incr(key, delta, version), default=_MISSING, writes=[made]
        )
        if value is _MISSING:  # as for a key that is not there: callers already handle it
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        made = [self._key(key, version) for key in data]
        self._call(lambda: self.backend.set_many(data, timeout, version), default=None, writes=made)
        return []

    def delete_many(self, keys, version=None):
        keys = list(keys)
        if not keys:
            return
        made = [self._key(key, version) for key in keys]
        self._call(lambda: self.backend.delete_many(keys, version), default=None, writes=made)

    def clear(self):
        # django-redis's clear returns nothing; Django's says whether the flush succeeded.
        return self._call(lambda: bool(self.redis().flushdb()), default=False)

    def close(self, **kwargs):
        self.backend.close(**kwargs)

    # For callers that must know.

    def hit(self, key: str, seconds: int) -> int:
        """Count one event under ``key`` in a window of ``seconds`` that starts with the
        first; returns the count so far. One round trip, atomic.

        Raises :class:`CacheUnavailable` rather than returning a made-up count.
        """
        made = self._key(key, None)

        def count() -> int:
            pipeline = self.redis().pipeline()
            pipeline.set(made, 0, ex=seconds, nx=True)
            pipeline.incr(made)
            return pipeline.execute()[1]

        value = self._call(count, default=_MISSING)
        if value is _MISSING:
            raise CacheUnavailable(self.breaker.last_error or "paused after a failure")
        return value

    def ping(self) -> bool:
        """Whether Redis answers now; no wait while paused after a failure."""
        return self._call(lambda: self.redis(write=False).ping(), default=False) is True


def count_hit(key: str, *, seconds: int, cache=None) -> int:
    """Count one event under ``key`` in the shared cache (see :meth:`RedisCache.hit`).

    Other backends (local memory in development and tests) count with add and incr.
    Raises :class:`CacheUnavailable` when the shared cache cannot count.
    """
    if cache is None:
        from django.core.cache import cache
    hit = getattr(cache, "hit", None)
    if hit is not None:
        return hit(key, seconds)
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1
