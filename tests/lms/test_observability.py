"""Logs an operator can read: one JSON line each, in UTC, with request id, actor and
address; a request log; the request id echoed; metrics for allowed addresses only."""

import calendar
import io
import json
import logging
import re
import time

import pytest
from django.urls import reverse

from lms import observability
from tests.environ import signing_key_pem
from tests.factories import PASSWORD, UserFactory

UTC_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture
def json_log():
    """What the console handler of the production LOGGING writes, as parsed lines."""
    config = observability.logging_config(log_format="json", level="INFO")
    assert config["handlers"]["console"]["formatter"] == "json"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(observability.JsonFormatter())
    handler.addFilter(observability.RequestContextFilter())
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("lms.security", "lms.request")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.INFO)
    root.addHandler(handler)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_a_sign_in_writes_json_lines_with_utc_time_request_id_actor_and_address(
    client, db, json_log
):
    user = UserFactory(email="akim@example.com")
    before = time.time()
    response = client.post(
        "/accounts/login/",
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    lines = json_log()
    (audit,) = [line for line in lines if line["logger"] == "lms.security"]
    (request,) = [line for line in lines if line["logger"] == "lms.request"]
    for line in (audit, request):
        assert UTC_STAMP.fullmatch(line["time"])
        stamp = calendar.timegm(time.strptime(line["time"][:19], "%Y-%m-%dT%H:%M:%S"))
        assert abs(stamp - before) < 60  # UTC, not the server's zone (Asia/Almaty)
        assert line["request_id"] == response["X-Request-ID"]
        assert line["ip"] == "192.0.2.7"
        assert line["level"] == "INFO"
    assert audit["event"] == "login"
    assert audit["actor"] == "akim@example.com"
    assert audit["message"] == "event=login actor='akim@example.com' ip='192.0.2.7'"


def test_lines_logged_while_serving_a_signed_in_user_name_them(client, db, json_log):
    user = UserFactory(email="learner@example.com")
    client.force_login(user)
    response = client.get("/ru/dashboard/", REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 200
    (request,) = [line for line in json_log() if line["logger"] == "lms.request"]
    assert request["actor"] == "learner@example.com"
    assert request["user_id"] == user.pk


def test_lines_outside_a_request_carry_no_request_fields(json_log):
    logging.getLogger("lms.security").warning("outside")
    (line,) = json_log()
    assert line["message"] == "outside"
    assert (line["request_id"], line["actor"], line["ip"]) == (None, None, None)


def test_an_exception_is_one_json_line_with_its_traceback(json_log):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("lms.test").exception("it failed")
    (line,) = json_log()
    assert line["level"] == "ERROR"
    assert "ValueError: broken" in line["exception"]


def test_utc_time_has_milliseconds_and_z():
    record = logging.LogRecord("lms.security", logging.INFO, __file__, 1, "x", None, None)
    record.created = 0.5  # 1970-01-01 00:00:00.500 UTC
    assert json.loads(observability.JsonFormatter().format(record))["time"] == (
        "1970-01-01T00:00:00.500Z"
    )
    assert observability.TextFormatter().format(record).startswith("1970-01-01T00:00:00.500Z")


def test_the_request_log_has_method_path_status_duration_and_user(client, db, json_log):
    response = client.get("/healthz/?token=secret-value", REMOTE_ADDR="192.0.2.9")
    (line,) = [line for line in json_log() if line["logger"] == "lms.request"]
    assert line["method"] == "GET"
    assert line["path"] == "/healthz/"
    assert line["status"] == response.status_code == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == "anonymous"
    assert "secret-value" not in json.dumps(json_log())


def test_the_request_log_keeps_password_reset_tokens_out(client, db, json_log):
    client.get("/accounts/reset/MQ/c4b7xk-0123456789abcdef0123456789abcdef/")
    (line,) = [line for line in json_log() if line["logger"] == "lms.request"]
    assert line["path"] == "/accounts/reset/MQ/[token]/"
    assert observability.loggable_path("/accounts/reset/MQ/set-password/") == (
        "/accounts/reset/MQ/set-password/"
    )


def test_the_request_log_costs_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/robots.txt")


def test_a_request_id_is_made_and_echoed(client, db):
    first = client.get("/healthz/")["X-Request-ID"]
    second = client.get("/healthz/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_trusted_proxys_request_id_round_trips(client, db, settings, json_log):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/healthz/", HTTP_X_REQUEST_ID="edge-7f3a.42:1")
    assert response["X-Request-ID"] == "edge-7f3a.42:1"
    (line,) = [line for line in json_log() if line["logger"] == "lms.request"]
    assert line["request_id"] == "edge-7f3a.42:1"


def test_a_clients_own_request_id_is_not_taken_without_a_trusted_proxy(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    response = client.get("/healthz/", HTTP_X_REQUEST_ID="pretend-to-be-someone")
    assert response["X-Request-ID"] != "pretend-to-be-someone"


@pytest.mark.parametrize(
    "offered", ["two words", "line\nbreak", "x" * 129, "", "-leading-dash", '"quoted"']
)
def test_a_request_id_that_is_not_sane_is_replaced(client, db, settings, offered):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/healthz/", HTTP_X_REQUEST_ID=offered)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


# Metrics -------------------------------------------------------------------------------


def test_metrics_are_refused_to_an_address_not_allowed(client, db):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_metrics_are_served_to_loopback(client, db):
    client.get("/healthz/")  # at least one request counted
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert 'lms_http_responses_total{method="GET",status="200",view="healthz"}' in body
    assert 'lms_http_request_duration_seconds_count{method="GET",view="healthz"}' in body


def test_metrics_are_served_to_loopback_over_ipv6(client, db):
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_a_forged_forwarded_address_does_not_open_metrics(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 404


def test_behind_a_proxy_the_forwarded_address_decides(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    proxy = "192.0.2.1"
    allowed = client.get("/metrics", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.20.3.4")
    refused = client.get("/metrics", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.21.3.4")
    assert (allowed.status_code, refused.status_code) == (200, 404)


def test_metrics_count_each_response_by_view_method_and_status(client, db):
    from prometheus_client import REGISTRY

    labels = {"view": "healthz", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("lms_http_responses_total", labels) or 0
    client.get("/healthz/")
    client.get("/healthz/")
    assert REGISTRY.get_sample_value("lms_http_responses_total", labels) == before + 2
    missing = {"view": "wagtail_serve", "method": "GET", "status": "404"}
    before = REGISTRY.get_sample_value("lms_http_responses_total", missing) or 0
    assert client.get("/ru/no-such-page/").status_code == 404
    assert REGISTRY.get_sample_value("lms_http_responses_total", missing) == before + 1


def test_metrics_live_outside_the_language_prefix():
    assert reverse("metrics") == "/metrics"


@pytest.mark.parametrize(
    ("address", "allowed"),
    [("127.0.0.1", True), ("::ffff:127.0.0.1", True), ("127.0.0.2", False), ("", False)],
)
def test_address_allowed(address, allowed):
    assert observability.address_allowed(address, ["127.0.0.1", "::1"]) is allowed


# Error reporting -----------------------------------------------------------------------


def _import_production_settings(monkeypatch, **environ):
    """Run config/settings/production.py afresh with this environment."""
    import importlib
    import sys

    for name in ("SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_TRACES_SAMPLE_RATE", "APP_RELEASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "p" * 50)
    monkeypatch.setenv("SITE_URL", "https://akim.example.kz")
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", signing_key_pem())
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    # base.py reads the environment too: run both afresh; the originals come back after.
    monkeypatch.delitem(sys.modules, "config.settings.base")
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    module = importlib.import_module("config.settings.production")
    monkeypatch.delitem(sys.modules, "config.settings.production")
    return module


def test_without_a_dsn_sentry_is_not_set_up(monkeypatch):
    from unittest import mock

    with mock.patch("sentry_sdk.init") as init:
        production = _import_production_settings(monkeypatch)
    init.assert_not_called()
    assert production.SENTRY_ENABLED is False


def test_with_a_dsn_sentry_is_set_up_without_personal_data(monkeypatch):
    from unittest import mock

    dsn = "http://public@127.0.0.1:9/1"  # a local dummy: nothing listens there
    with mock.patch("sentry_sdk.init") as init:
        production = _import_production_settings(
            monkeypatch,
            SENTRY_DSN=dsn,
            SENTRY_ENVIRONMENT="staging",
            APP_RELEASE="akim-academy@2.3.1",
        )
    assert production.SENTRY_ENABLED is True
    init.assert_called_once()
    options = init.call_args.kwargs
    assert {name: options[name] for name in ("dsn", "environment", "release")} == {
        "dsn": dsn,
        "environment": "staging",
        "release": "akim-academy@2.3.1",
    }
    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False
    assert options["traces_sample_rate"] == 0.0
    (logging_integration,) = options["integrations"]
    assert logging_integration._breadcrumb_handler is None  # no log lines as breadcrumbs


def test_the_trace_sample_rate_comes_from_the_environment(monkeypatch):
    from unittest import mock

    with mock.patch("sentry_sdk.init") as init:
        _import_production_settings(
            monkeypatch, SENTRY_DSN="http://public@127.0.0.1:9/1", SENTRY_TRACES_SAMPLE_RATE="0.05"
        )
    assert init.call_args.kwargs["traces_sample_rate"] == 0.05
    assert init.call_args.kwargs["environment"] == "production"
    assert init.call_args.kwargs["release"] is None


# gunicorn ------------------------------------------------------------------------------


def test_the_procfile_runs_gunicorn_with_the_json_log_configuration():
    from pathlib import Path

    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text()
    (web,) = [line for line in procfile.splitlines() if line.startswith("web:")]
    assert "--config python:config.gunicorn_config" in web
    assert "--access-logfile" not in web


def test_gunicorn_and_the_app_write_only_json_lines(tmp_path):
    """gunicorn as the Procfile starts it, with production settings: every line on
    its standard error is JSON, the app's request line included, and no second
    access line per request."""
    import os
    import socket
    import subprocess
    import sys
    import urllib.request
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "g" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CERTIFICATE_SIGNING_KEY": signing_key_pem(),
        # /metrics needs no database; the file need not exist.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    environ.pop("SENTRY_DSN", None)
    errors = tmp_path / "stderr"
    with errors.open("w") as stderr:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:config.gunicorn_config",
                "config.wsgi:application",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=Path(__file__).resolve().parents[2],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.3)
            assert answer.status == 200
            request_id = answer.headers["X-Request-ID"]
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = [json.loads(line) for line in errors.read_text().splitlines() if line.strip()]
    loggers = {line["logger"] for line in lines}
    assert "gunicorn.error" in loggers
    assert "gunicorn.access" not in loggers
    # The line of the request that was answered: on a loaded machine an earlier try may
    # have timed out on this side and been logged all the same.
    (request,) = [
        line
        for line in lines
        if line["logger"] == "lms.request" and line["request_id"] == request_id
    ]
    assert (request["path"], request["status"], request["ip"]) == ("/metrics", 200, "127.0.0.1")
    assert all(UTC_STAMP.fullmatch(line["time"]) for line in lines)


SENTRY_DRILL = """
import gzip, json, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

received = []


class Dummy(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        received.append(body.decode("utf-8", "replace"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Dummy)
threading.Thread(target=server.serve_forever, daemon=True).start()
from lms import observability
assert observability.sentry_init(
    dsn=f"http://public@127.0.0.1:{server.server_port}/1",
    environment="drill",
    release="drill-1",
    traces_sample_rate=0.0,
)
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from django.db import connection
connection.creation.create_test_db(verbosity=0)
from lms.models import User
user = User.objects.create_user(email="akim@example.com", password="x" * 12, full_name="Ә")
client = Client(raise_request_exception=False)
client.force_login(user)
with mock.patch("lms.views.reverse", side_effect=RuntimeError("boom in robots")):
    assert client.get("/robots.txt", REMOTE_ADDR="192.0.2.55").status_code == 500
client.logout()
with mock.patch("django.contrib.auth.forms.authenticate", side_effect=RuntimeError("boom")):
    answer = client.post(
        "/accounts/login/",
        {"username": "who@example.com", "password": "hunter2-secret", "iin": "880101300123"},
        REMOTE_ADDR="192.0.2.56",
    )
    assert answer.status_code == 500
with mock.patch(
    "django.contrib.auth.views.urlsafe_base64_decode", side_effect=RuntimeError("boom")
):
    answer = client.get("/accounts/reset/MQ/c4b7xk-reset-token-0123/?q=searched-words")
    assert answer.status_code == 500
import sentry_sdk
sentry_sdk.flush(timeout=10)
print(json.dumps(received))
"""


def test_an_error_reaches_sentry_without_personal_data(tmp_path):
    """For real, against a dummy Sentry on loopback: an unhandled error in a view is
    reported with its environment and release, and without the user, their address,
    the request body or cookies."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "-c", SENTRY_DRILL],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'sentry.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    envelopes = json.loads(result.stdout.splitlines()[-1])
    events = "\n".join(envelopes)
    assert len(envelopes) >= 3
    assert "boom in robots" in events
    assert "/accounts/reset/{uidb64}/{token}/" in events  # the route, not the link
    assert '"environment":"drill"' in events.replace(" ", "")
    assert "drill-1" in events
    for private in (
        "akim@example.com",
        "192.0.2.55",
        "192.0.2.56",
        "hunter2-secret",
        "880101300123",
        "who@example.com",
        "sessionid",
        "reset-token-0123",
        "searched-words",
    ):
        assert private not in events, private
    assert '"request_id":"' in events.replace(" ", "")  # the way to the request's log lines


def test_events_lose_query_strings_reset_tokens_and_personal_log_fields():
    event = {
        "request": {
            "url": "https://akim.example.kz/accounts/reset/MQ/c4b7xk-abc/",
            "query_string": "q=searched-words",
        },
        "extra": {"ip": "192.0.2.5", "actor": "akim@example.com", "data": {}, "status": 500},
    }
    scrubbed = observability._sentry_before_send(event, {})
    assert scrubbed["request"] == {"url": "https://akim.example.kz/accounts/reset/MQ/[token]/"}
    assert scrubbed["extra"] == {"status": 500}
