"""Rate limits: counted in the shared cache, and in the database while it is down."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory

from lms import security
from lms.models import RateLimitCounter

NOON = datetime(2026, 1, 10, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_recent_prune(monkeypatch):
    monkeypatch.setattr(security, "_pruned_at", [float("inf")])


def _hit(key="rate:verify:10.0.0.1", seconds=60, now=NOON):
    return security.rate_counter_hit(key=key, seconds=seconds, now=now)


def test_the_database_counts_in_fixed_windows(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert _hit() == 1
    assert _hit(now=NOON + timedelta(seconds=59)) == 2
    assert _hit(key="rate:verify:10.0.0.2") == 1
    assert _hit(now=NOON + timedelta(seconds=60)) == 1  # the next window
    row = RateLimitCounter.objects.get(key="rate:verify:10.0.0.1", window_start=NOON)
    assert (row.count, row.expires_at) == (2, NOON + timedelta(seconds=60))


def test_passed_windows_are_pruned(db, monkeypatch):
    _hit(now=NOON - timedelta(minutes=5))
    _hit(now=NOON - timedelta(seconds=30))
    monkeypatch.setattr(security, "_pruned_at", [0.0])  # a minute since the last prune
    _hit(now=NOON + timedelta(seconds=10))
    assert list(RateLimitCounter.objects.values_list("window_start", "count")) == [(NOON, 1)]


def test_limits_are_counted_in_the_database_while_redis_is_down(db, redis_down):
    request = RequestFactory().get("/v/X", REMOTE_ADDR="10.0.0.7")
    verdicts = [
        security.rate_limited("verify", address=security.client_ip(request), limit=3, seconds=60)
        for _ in range(5)
    ]
    assert verdicts == [False, False, False, True, True]
    assert RateLimitCounter.objects.get(key="rate:verify:10.0.0.7").count == 5


def test_limits_use_the_shared_cache_while_it_answers(db, redis_cache):
    request = RequestFactory().get("/v/X", REMOTE_ADDR="10.0.0.7")
    verdicts = [
        security.rate_limited("verify", address=security.client_ip(request), limit=2, seconds=60)
        for _ in range(3)
    ]
    assert verdicts == [False, False, True]
    assert not RateLimitCounter.objects.exists()
    assert redis_cache.get("rate:verify:10.0.0.7") == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_each_counted_once(postgres):
    barrier = threading.Barrier(10)
    counts, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            counts.append(_hit())
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(counts) == list(range(1, 11))
