"""Configuration from the environment: defaults, valid URLs, and clear errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lms import env
from tests.environ import production_environ

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_is_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database_from_env(default_sqlite_path=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "db.sqlite3"


def test_postgres_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://lms:secret@db.internal:5433/lms")
    config = env.database_from_env(default_sqlite_path=tmp_path / "x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "lms")
    assert config["USER"] == "lms"


@pytest.mark.parametrize(
    "url",
    [
        "postgres://host:notaport/lms",
        "mysql://root@localhost/lms",
        "nonsense",
        "postgres://localhost",
    ],
)
def test_malformed_database_url_names_the_variable(monkeypatch, tmp_path, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database_from_env(default_sqlite_path=tmp_path / "x")


def test_local_memory_cache_is_the_default(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert env.cache_from_env()["BACKEND"].endswith("LocMemCache")


def test_redis_url(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    config = env.cache_from_env()
    assert config["BACKEND"] == "lms.cache.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_redis_calls_time_out_fast_and_pause_after_a_failure(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.delenv("REDIS_TIMEOUT_SECONDS", raising=False)
    monkeypatch.delenv("REDIS_BREAKER_SECONDS", raising=False)
    assert env.cache_from_env()["OPTIONS"] == {"socket_timeout": 0.25, "breaker_seconds": 5}
    monkeypatch.setenv("REDIS_TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("REDIS_BREAKER_SECONDS", "10")
    assert env.cache_from_env()["OPTIONS"] == {"socket_timeout": 0.5, "breaker_seconds": 10}


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_malformed_redis_timeouts_name_the_variable(monkeypatch, value):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("REDIS_TIMEOUT_SECONDS", value)
    with pytest.raises(ImproperlyConfigured, match="REDIS_TIMEOUT_SECONDS"):
        env.cache_from_env()


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:port/0", "http://127.0.0.1:6379", "redis://", "127.0.0.1:6379"]
)
def test_malformed_redis_url_names_the_variable(monkeypatch, url):
    monkeypatch.setenv("REDIS_URL", url)
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.cache_from_env()


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("EMAIL_USE_TLS", "maybe")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS"):
        env.env_bool("EMAIL_USE_TLS")


def _manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "SITE_URL",
            "CERTIFICATE_SIGNING_KEY",
            "CERTIFICATE_SIGNING_KEY_FILE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_up_stops_on_a_malformed_database_url():
    result = _manage("check", DATABASE_URL="postgres://host:notaport/lms")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_start_up_stops_on_a_malformed_redis_url():
    result = _manage("check", REDIS_URL="http://cache")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("variable", ["SITE_URL", "CERTIFICATE_SIGNING_KEY"])
def test_production_refuses_to_start_without_its_address_or_signing_key(variable):
    environ = production_environ()
    del environ[variable]
    result = _manage("check", **environ)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable} must be set" in result.stderr or f"{variable} (" in result.stderr


def test_production_passes_the_deploy_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **production_environ(DJANGO_ALLOWED_HOSTS="akim.example.kz"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_checks_fail_on_a_plain_http_address_and_an_unreadable_key(tmp_path):
    environ = production_environ(
        DJANGO_ALLOWED_HOSTS="akim.example.kz",
        SITE_URL="http://akim.example.kz",
        CERTIFICATE_SIGNING_KEY="",
        CERTIFICATE_SIGNING_KEY_FILE=str(tmp_path / "missing.pem"),
    )
    result = _manage("check", "--deploy", **environ)
    assert result.returncode != 0
    assert "lms.E002" in result.stderr and "SITE_URL" in result.stderr
    assert "certification.E001" in result.stderr
    assert "CERTIFICATE_SIGNING_KEY_FILE cannot be read" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("https://akim.example.kz", "https://akim.example.kz"),
        ("https://akim.example.kz/", "https://akim.example.kz"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_site_url(monkeypatch, raw, expected):
    monkeypatch.setenv("SITE_URL", raw)
    assert env.site_url_from_env() == expected


@pytest.mark.parametrize(
    "raw",
    ["akim.example.kz", "ftp://akim.example.kz", "https://", "https://a.kz/lms", "https://a.kz:x"],
)
def test_malformed_site_url_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("SITE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        env.site_url_from_env()


def test_metrics_allowed_ips(monkeypatch):
    monkeypatch.delenv("METRICS_ALLOWED_IPS", raising=False)
    assert env.env_networks("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"]) == ["127.0.0.1", "::1"]
    monkeypatch.setenv("METRICS_ALLOWED_IPS", "10.0.0.0/8, 192.0.2.5")
    assert env.env_networks("METRICS_ALLOWED_IPS", []) == ["10.0.0.0/8", "192.0.2.5"]
    monkeypatch.setenv("METRICS_ALLOWED_IPS", "10.0.0.0/8,prometheus.internal")
    with pytest.raises(ImproperlyConfigured, match="METRICS_ALLOWED_IPS"):
        env.env_networks("METRICS_ALLOWED_IPS", [])


def test_an_unknown_log_format_names_the_variable():
    from lms.observability import logging_config

    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config(log_format="xml")


def test_production_takes_every_absolute_url_from_site_url(monkeypatch):
    """Wagtail's e-mails link to WAGTAILADMIN_BASE_URL: production derives it from
    SITE_URL, and a stray WAGTAILADMIN_BASE_URL in the environment changes nothing."""
    import importlib

    for name, value in production_environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
    monkeypatch.delitem(sys.modules, "config.settings.base")
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    production = importlib.import_module("config.settings.production")
    monkeypatch.delitem(sys.modules, "config.settings.production")
    assert production.SITE_URL == production.WAGTAILADMIN_BASE_URL == "https://akim.example.kz"


def test_production_does_not_install_the_demo_content(monkeypatch):
    """The demo app (seed_demo and its published passwords) is for development and tests."""
    import importlib

    for name, value in production_environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "config.settings.base")
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    production = importlib.import_module("config.settings.production")
    monkeypatch.delitem(sys.modules, "config.settings.production")
    assert "demo" not in production.INSTALLED_APPS
    assert not any(app.startswith("demo.") for app in production.INSTALLED_APPS)


def test_files_are_on_disk_and_private_by_default(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    storages = env.storages_from_env(private_file_url_seconds=300)
    assert storages["default"]["BACKEND"] == "lms.storage.PrivateFileSystemStorage"
    assert storages["public"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_puts_private_and_public_files_under_their_prefixes(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "akim-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.kz")
    monkeypatch.setenv("AWS_PRIVATE_STORAGE_BUCKET_NAME", "akim-private")
    storages = env.storages_from_env(private_file_url_seconds=120)
    private, public = storages["default"]["OPTIONS"], storages["public"]["OPTIONS"]
    assert (private["bucket_name"], private["location"]) == ("akim-private", "private")
    assert private["querystring_auth"] is True and private["querystring_expire"] == 120
    assert (public["bucket_name"], public["location"]) == ("akim-media", "public")
    assert public["querystring_auth"] is False
    assert private["default_acl"] is None and public["default_acl"] is None
    assert private["file_overwrite"] is False


@pytest.mark.parametrize(
    ("variable", "value"),
    [("AWS_S3_ENDPOINT_URL", "s3.example.kz"), ("AWS_S3_ADDRESSING_STYLE", "sideways")],
)
def test_a_malformed_storage_setting_names_the_variable(monkeypatch, variable, value):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "akim-media")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ImproperlyConfigured, match=variable):
        env.storages_from_env(private_file_url_seconds=300)


def test_a_relative_private_media_root_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", "private")
    with pytest.raises(ImproperlyConfigured, match="PRIVATE_MEDIA_ROOT"):
        env.env_path("PRIVATE_MEDIA_ROOT", tmp_path)
