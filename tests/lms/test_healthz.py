from unittest import mock

from django.db import OperationalError


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("lms.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down", "cache": "ok"}


def test_healthz_reports_a_cache_failure_without_failing(client, db):
    with mock.patch("lms.views.cache.set", side_effect=ConnectionError("no redis")):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "down"}
