"""The Redis cache backend: short timeouts, fail-soft calls, a pause after a failure,
and writes dropped during an outage undone when Redis answers again."""

import logging
import time

import pytest
from django.conf import settings
from django.test import Client
from redis import exceptions as redis_errors

from lms import cache as lms_cache
from tests.conftest import _closed_port
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _no_outage_left_over():
    lms_cache.reset_breakers()
    yield
    lms_cache.reset_breakers()


@pytest.fixture
def clock(monkeypatch):
    """The breaker's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(lms_cache, "_clock", lambda: now[0])
    return now


def _backend(url: str, **options) -> lms_cache.RedisCache:
    return lms_cache.RedisCache(url, {"KEY_PREFIX": "t", "OPTIONS": options})


def _outage(cache) -> None:
    """Make this process see Redis as down, as after a refused connection."""
    cache.breaker.failed(redis_errors.ConnectionError("Connection refused"))


def test_timeouts_are_a_quarter_second_unless_configured():
    pool = _backend("redis://127.0.0.1:6379/13").redis().connection_pool
    assert pool.connection_kwargs["socket_timeout"] == 0.25
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.25
    # Another URL: the pool of a URL is made once per process.
    pool = _backend("redis://127.0.0.1:6379/12", socket_timeout=0.1).redis().connection_pool
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.1
    assert "breaker_seconds" not in pool.connection_kwargs


def test_a_silent_server_costs_one_short_timeout_then_nothing(black_hole):
    cache = _backend(f"redis://127.0.0.1:{black_hole.port}/0")
    started = time.monotonic()
    assert cache.get("page", "default") == "default"
    assert time.monotonic() - started < 1
    for _ in range(50):
        assert cache.get("page") is None
        cache.set("page", "content")
    assert len(black_hole.connections) == 1


def test_an_unreachable_server_reads_as_an_empty_cache():
    cache = _backend(f"redis://127.0.0.1:{_closed_port()}/0")
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k", "l"]) == {}
    assert "k" not in cache
    assert cache.add("k", 1) is False
    assert cache.set("k", 1) is None
    assert cache.set_many({"k": 1}) == []
    assert cache.delete("k") is False
    assert cache.delete_many(["k"]) is None
    assert cache.touch("k") is False
    assert cache.get_or_set("k", lambda: "made") == "made"
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")
    with pytest.raises(ValueError, match="not found"):
        cache.decr("k")
    with pytest.raises(lms_cache.CacheUnavailable):
        cache.hit("k", 60)
    assert cache.ping() is False
    assert cache.clear() is False


def test_redis_is_tried_again_once_per_pause(black_hole, clock):
    cache = _backend(f"redis://127.0.0.1:{black_hole.port}/0", breaker_seconds=5)
    cache.get("k")
    assert len(black_hole.connections) == 1
    clock[0] += 4.9
    cache.get("k")
    assert len(black_hole.connections) == 1
    clock[0] += 0.2
    cache.get("k")  # one call tries it again...
    cache.get("k")  # ...and, as it failed, the pause starts over
    assert len(black_hole.connections) == 2


def test_an_outage_is_logged_once(clock, caplog):
    cache = _backend(f"redis://127.0.0.1:{_closed_port()}/0", breaker_seconds=5)
    with caplog.at_level(logging.WARNING, logger="lms.cache"):
        for _ in range(5):
            cache.get("k")
            clock[0] += 6
    assert cache.breaker.failures == 5
    lines = [record.getMessage() for record in caplog.records if record.name == "lms.cache"]
    assert len(lines) == 1
    assert "unavailable" in lines[0] and "ConnectionError" in lines[0]


def test_a_password_in_the_url_stays_out_of_the_log(clock, caplog):
    port = _closed_port()
    cache = _backend(f"redis://:s3cret@127.0.0.1:{port}/0,redis://:an0ther@127.0.0.2:{port}/0")
    with caplog.at_level(logging.WARNING, logger="lms.cache"):
        cache.get("k")
    assert "s3cret" not in caplog.text and "an0ther" not in caplog.text
    assert f"127.0.0.1:{port}/0,redis://***@127.0.0.2:{port}" in caplog.text


def test_mistakes_in_a_call_are_not_hidden(redis_cache):
    redis_cache.set("text", "not a number")
    with pytest.raises(redis_errors.ResponseError):
        redis_cache.redis().incr(redis_cache.make_key("text"))
    with pytest.raises(redis_errors.ResponseError):
        redis_cache.hit("text", 60)
    assert not redis_cache.breaker.is_down


def test_hit_counts_in_a_window_that_expires(redis_cache):
    assert [redis_cache.hit("rate:verify:10.0.0.1", 60) for _ in range(3)] == [1, 2, 3]
    ttl = redis_cache.redis().ttl(redis_cache.make_key("rate:verify:10.0.0.1"))
    assert 0 < ttl <= 60


def test_writes_dropped_in_an_outage_are_undone_when_redis_answers_again(
    redis_cache, clock, caplog
):
    redis_cache.set("session", "signed in")
    redis_cache.set("generation", 7)
    _outage(redis_cache)
    redis_cache.delete("session")  # signed out meanwhile: the delete is dropped
    with pytest.raises(ValueError):
        redis_cache.incr("generation")  # a publish bumps the pages' generation: dropped
    assert redis_cache.get("session") is None  # paused: Redis is not asked
    clock[0] += lms_cache.DEFAULT_BREAKER_SECONDS + 1
    with caplog.at_level(logging.WARNING, logger="lms.cache"):
        assert redis_cache.get("session") is None  # not "signed in" again
    assert redis_cache.get("generation") is None  # not the old 7
    assert not redis_cache.breaker.is_down
    assert "answers again" in caplog.text and "2 keys" in caplog.text


def test_a_sign_out_during_an_outage_stays_signed_out(redis_cache, clock, db):
    learner = UserFactory(email="akim@example.com")
    client = Client()
    client.post("/accounts/login/", {"username": learner.email, "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/ru/dashboard/").status_code == 200  # the session is in Redis now
    _outage(redis_cache)
    assert client.post("/accounts/logout/").status_code == 302
    clock[0] += 60  # Redis answers again
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert stolen.get("/ru/dashboard/").status_code == 302


def test_clear_says_whether_redis_was_emptied(redis_cache):
    redis_cache.set("k", 1)
    assert redis_cache.clear() is True
    assert redis_cache.get("k") is None
    assert _backend(f"redis://127.0.0.1:{_closed_port()}/0").clear() is False
