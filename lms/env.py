"""Configuration read from the environment, in one place.

Settings modules call these helpers; nothing else in the project reads ``os.environ``
for configuration. A malformed value stops start-up with a message that names the
variable, rather than failing later with a confusing connection error.
"""

from __future__ import annotations

import ipaddress
import math
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SUPPORTED_DATABASE_ENGINES = {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_float(name: str, default: float) -> float:
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.")
    return value


def env_seconds(name: str, default: float) -> float:
    value = env_float(name, default)
    if not value > 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds, not {value!r}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = env_str(name)
    if not raw:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    """A folder: absolute, so that it does not depend on where a process starts."""
    raw = env_str(name)
    if not raw:
        return default
    path = Path(raw)
    if not path.is_absolute():
        raise ImproperlyConfigured(f"{name} must be an absolute path, not {raw!r}.")
    return path


# WAL lets readers go on while a learner's answer is being written, and with WAL a
# commit need not wait for the disk twice (synchronous=NORMAL). A transaction takes the
# write lock when it begins (IMMEDIATE), so one that read first and writes later waits
# for another process's write (a task worker's) instead of failing "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}


def database_from_env(*, default_sqlite_path: Path) -> dict:
    """``DATABASES["default"]`` from ``DATABASE_URL``, or a SQLite file when it is unset."""
    url = env_str("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite_path,
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "OPTIONS": SQLITE_OPTIONS,
        }
    try:
        config = dj_database_url.parse(
            url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
        # Touch the parts that only fail when read (a non-numeric port, for one).
        parts = urlsplit(url)
        parts.port  # noqa: B018
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    engine = config.get("ENGINE")
    if engine not in SUPPORTED_DATABASE_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or sqlite:// (got scheme {parts.scheme!r})."
        )
    if not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database.")
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def cache_from_env() -> dict:
    """``CACHES["default"]``: Redis from ``REDIS_URL``, else this process's memory.

    Redis calls time out after ``REDIS_TIMEOUT_SECONDS`` and, after a failure, Redis
    is left alone for ``REDIS_BREAKER_SECONDS`` (see ``lms/cache.py``).
    """
    url = env_str("REDIS_URL")
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lms-default",
        }
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"REDIS_URL has a malformed port: {url!r}.") from None
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix:// (got {url!r})."
        )
    if parts.scheme != "unix" and not parts.hostname:
        raise ImproperlyConfigured(f"REDIS_URL names no host: {url!r}.")
    del port
    return {
        "BACKEND": "lms.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "lms"),
        "TIMEOUT": 300,
        "OPTIONS": {
            "socket_timeout": env_seconds("REDIS_TIMEOUT_SECONDS", 0.25),
            "breaker_seconds": env_seconds("REDIS_BREAKER_SECONDS", 5),
        },
    }


def env_networks(name: str, default: list[str]) -> list[str]:
    """Comma-separated addresses or networks (``127.0.0.1,10.0.0.0/8,::1``)."""
    entries = env_list(name, default)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks; {entry!r} is neither."
            ) from None
    return entries


def site_url_from_env() -> str:
    """``SITE_URL``, the site's public base URL (``https://akim.example.kz``), without
    a trailing slash; "" when unset."""
    raw = env_str("SITE_URL")
    if not raw:
        return ""
    parts = urlsplit(raw)
    try:
        parts.port  # noqa: B018 (a non-numeric port fails only when read)
    except ValueError:
        raise ImproperlyConfigured(f"SITE_URL has a malformed port: {raw!r}.") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"SITE_URL must be an http:// or https:// address with a host, not {raw!r}."
        )
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's root, with no path or query: {raw!r}."
        )
    return raw.rstrip("/")


def storages_from_env(*, private_file_url_seconds: int) -> dict:
    """``STORAGES["default"]`` (private) and ``STORAGES["public"]`` (image renditions):
    on disk by default, on S3-compatible object storage when ``AWS_STORAGE_BUCKET_NAME``
    is set (see ``lms/storage.py`` for what goes where)."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {
            "default": {"BACKEND": "lms.storage.PrivateFileSystemStorage"},
            "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        }
    endpoint = env_str("AWS_S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ImproperlyConfigured(
                f"AWS_S3_ENDPOINT_URL must be an http:// or https:// address, not {endpoint!r}."
            )
    addressing = env_str("AWS_S3_ADDRESSING_STYLE")
    if addressing not in {"", "auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"AWS_S3_ADDRESSING_STYLE must be auto, path or virtual, not {addressing!r}."
        )
    common = {
        "endpoint_url": endpoint or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
        "addressing_style": addressing or None,
        "signature_version": "s3v4",
        # Django's rule, not S3's: a second file of the same name gets a name of its own.
        "file_overwrite": False,
        # No ACL on any object: what the public may read is decided by the bucket's
        # policy (public/* only), which also works where ACLs are switched off.
        "default_acl": None,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": env_str("AWS_PRIVATE_STORAGE_BUCKET_NAME") or bucket,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": private_file_url_seconds,
            },
        },
        "public": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": bucket,
                "location": "public",
                "querystring_auth": False,
                "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
            },
        },
    }
