import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import time_machine
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lms import health
from lms.models import ScheduledJob, WorkerHeartbeat
from tests.environ import signing_key_pem

ROOT = Path(__file__).resolve().parents[2]


def _scheduler_ran(seconds_ago: int = 20) -> None:
    ScheduledJob.objects.create(
        name="publish_scheduled",
        next_run_at=timezone.now(),
        last_started_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


def test_healthz_reports_each_dependency(client, db, django_assert_num_queries):
    # The clock stands still: on a loaded machine seconds pass between the job's row
    # and the request.
    with time_machine.travel(timezone.now(), tick=False):
        _scheduler_ran()
        with django_assert_num_queries(2):  # the database, the scheduler's last job
            response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "cache": {"status": "ok"},
            "tasks": {"status": "ok", "backend": "inline"},
            "scheduler": {"status": "ok", "last_job_seconds": 20},
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_how_long_the_oldest_task_of_each_queue_has_waited(
    client, db, database_tasks, django_assert_num_queries
):
    from certification.tasks import render_certificate_pdf
    from cms.tasks import fold_article_views

    _scheduler_ran()
    WorkerHeartbeat.objects.create(worker_id="w1", queues="default")
    waiting = fold_article_views.enqueue()
    DBTaskResult.objects.filter(pk=waiting.id).update(
        enqueued_at=timezone.now() - timedelta(seconds=90)
    )
    with django_assert_num_queries(4):  # + the queues, the workers
        body = client.get("/healthz/").json()
    assert body["status"] == "ok"
    assert body["checks"]["tasks"] == {
        "status": "ok",
        "queues": {
            "default": {"waiting": 1, "oldest_seconds": 90, "workers": 1},
            "documents": {"waiting": 0, "oldest_seconds": 0, "workers": 0},
        },
    }

    # Renders pile up with no documents worker: reported, and the site still serves.
    render = render_certificate_pdf.enqueue(1)
    DBTaskResult.objects.filter(pk=render.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=11)
    )
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["tasks"]["status"] == "down"
    assert body["checks"]["tasks"]["queues"]["documents"] == {
        "waiting": 1,
        "oldest_seconds": 660,
        "workers": 0,
    }


def test_healthz_says_when_the_scheduler_has_stopped(client, db):
    body = client.get("/healthz/").json()
    assert body["status"] == "degraded"
    assert body["checks"]["scheduler"] == {"status": "down", "last_job_seconds": None}
    _scheduler_ran(seconds_ago=400)
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["checks"]["scheduler"] == {"status": "down", "last_job_seconds": 400}


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
        DJANGO_SETTINGS_MODULE="config.settings.production",
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
