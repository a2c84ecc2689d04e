import os

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: no stored pages, counters or rate limits
    left by the one before."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_pages(db):
    """The three home pages (ru site root, kk and en translations)."""
    from cms.demo import seed_home_pages

    home = seed_home_pages()
    return {
        page.locale.language_code: page.specific for page in home.get_translations(inclusive=True)
    }


@pytest.fixture
def disk(settings, tmp_path, monkeypatch):
    """The storages as a deployment without object storage has them, in this test's
    folders: returns (MEDIA_ROOT, PRIVATE_MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "lms.storage.PrivateFileSystemStorage"},
        "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    # Wagtail resolves the renditions' storage once, when its model is defined.
    from django.core.files.storage import storages
    from wagtail.images.models import Rendition

    monkeypatch.setattr(Rendition._meta.get_field("file"), "storage", storages["public"])
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def demo_accounts(db):
    from lms.demo import seed_accounts

    return {user.email: user for user in seed_accounts()}


@pytest.fixture
def postgres(db):
    """For tests that only mean something on PostgreSQL (row locks, concurrency).

    Elsewhere they skip, unless REQUIRE_POSTGRES is set (CI's PostgreSQL run), where
    running on anything else is a failure.
    """
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but the tests are not running on PostgreSQL")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def pytest_collection_modifyitems(items):
    """Transactional tests flush the database after each test, which would delete the
    rows that migrations made (regions, roles, Wagtail's root page and site): restore
    them with serialized_rollback."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            item.add_marker(
                pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}),
                append=False,
            )


@pytest.fixture
def redis_cache(settings):
    """The default cache on a real Redis (a database of its own, emptied before and
    after). Skipped on a laptop without Redis; CI (REQUIRE_POSTGRES or CI set) fails."""
    import redis
    from django.core.cache import caches

    from lms import cache as lms_cache

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_POSTGRES") or os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url}, and CI needs it")
        pytest.skip(f"needs Redis at {url}")
    settings.CACHES = {
        "default": {"BACKEND": "lms.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "test"}
    }
    lms_cache.reset_breakers()
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()
    lms_cache.reset_breakers()


class BlackHole:
    """A TCP listener on loopback that accepts connections and never answers: a Redis
    behind a dead proxy, or a server stuck on a slow disk."""

    def __init__(self) -> None:
        import socket
        import threading

        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.05)
        self.port = self._socket.getsockname()[1]
        self.connections: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                held, _address = self._socket.accept()
            except TimeoutError:
                continue
            self.connections.append(held)  # held open, never read, never answered

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for held in self.connections:
            held.close()
        self._socket.close()


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def black_hole():
    listener = BlackHole()
    yield listener
    listener.close()


def _unreachable_redis(settings, url: str, **options):
    from lms import cache as lms_cache

    lms_cache.reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "test",
            "OPTIONS": options,
        }
    }


@pytest.fixture(params=["closed port", "black hole"])
def redis_down(request, settings):
    """The default cache on a Redis that cannot be reached: a closed port on loopback,
    or a listener that accepts connections and never answers. Yields the listener (or
    None for the closed port). Redis is retried only after a minute, so a test sees at
    most one attempt per process however slow the machine."""
    from lms import cache as lms_cache

    if request.param == "closed port":
        listener = None
        _unreachable_redis(settings, f"redis://127.0.0.1:{_closed_port()}/0", breaker_seconds=60)
    else:
        listener = request.getfixturevalue("black_hole")
        _unreachable_redis(settings, f"redis://127.0.0.1:{listener.port}/0", breaker_seconds=60)
    yield listener
    lms_cache.reset_breakers()
