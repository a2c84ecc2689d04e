import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

from django.db import OperationalError

from lms import health
from tests.environ import signing_key_pem

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_each_dependency(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": {"status": "ok"}, "cache": {"status": "ok"}},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("lms.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"] == {"status": "down"}
    assert body["checks"]["cache"] == {"status": "ok"}


def test_healthz_reports_a_cache_failure_without_failing(client, db):
    with mock.patch("lms.health.cache.set", side_effect=ConnectionError("no redis")):
        response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == {"status": "down"}


def test_a_check_that_breaks_counts_as_down(client, db, monkeypatch):
    def broken():
        raise RuntimeError("bug")

    monkeypatch.setattr(health, "CHECKS", [*health.CHECKS, health.Check("extra", broken, False)])
    body = client.get("/healthz/").json()
    assert body["status"] == "degraded"
    assert body["checks"]["extra"] == {"status": "down"}


def test_the_cache_check_waits_no_longer_than_the_short_timeout(client, db, redis_down):
    started = time.monotonic()
    response = client.get("/healthz/")
    assert time.monotonic() - started < 1
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == {"status": "down"}
    # Paused after that failure: the next probe does not wait at all.
    started = time.monotonic()
    assert client.get("/healthz/").json()["status"] == "degraded"
    assert time.monotonic() - started < 0.5


def test_the_cache_check_pings_a_real_redis(client, db, redis_cache):
    assert client.get("/healthz/").json()["checks"]["cache"] == {"status": "ok"}


def test_plain_http_probes_are_not_redirected_in_production(tmp_path):
    """Under production settings (HTTPS redirect on) a load balancer probing over
    plain HTTP gets the health answer, while pages still redirect to HTTPS."""
    script = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/healthz/').status_code, c.get('/ru/').status_code)"
    )
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "production-like-secret-key-9f8e7d6c5b4a3",
        SITE_URL="https://akim.example.kz",
        CERTIFICATE_SIGNING_KEY=signing_key_pem(),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]
