import os

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

# No per-example deadline: on a shared, loaded machine (or beside the other parallel test
# processes) one slow example would fail a property that holds. Speed is for bench/.
hypothesis_settings.register_profile("lms", deadline=None)
hypothesis_settings.load_profile("lms")


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
    from tests.factories.cms import build_home_pages

    home = build_home_pages()
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
def learners(db):
    """Two learners with profiles, by e-mail (tests/factories: ``build_learners``)."""
    from tests.factories import build_learners

    return build_learners()


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


def _redis_test_url() -> str:
    """Redis database 15, or one below it per parallel test process (pytest-xdist's gw1
    uses 14, ...): each process clears its own database between tests."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"redis://127.0.0.1:6379/{15 - int(worker.removeprefix('gw'))}"


@pytest.fixture
def redis_cache(settings):
    """The default cache on a real Redis (a database of its own, emptied before and
    after). Skipped on a laptop without Redis; CI (REQUIRE_POSTGRES or CI set) fails."""
    import redis
    from django.core.cache import caches

    from lms import cache as lms_cache

    url = os.environ.get("REDIS_TEST_URL", _redis_test_url())
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


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The test database, reachable by the processes a test starts (workers, schedulers):
    yields the DATABASE_URL to give them.

    On PostgreSQL that is the test database itself. SQLite's test database lives in this
    process's memory, so it is copied, with the rows made so far, into a file (in WAL
    mode, so that readers and a writer get on); this process then uses the file too,
    until the test ends.
    """
    import sqlite3

    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        from urllib.parse import quote

        password = settings_dict.get("PASSWORD") or ""
        auth = quote(settings_dict.get("USER") or "") + (f":{quote(password)}" if password else "")
        yield (
            f"postgres://{auth}@{settings_dict.get('HOST') or '127.0.0.1'}:"
            f"{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"
        )
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "shared.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    name = settings_dict["NAME"]
    connection.connection = None  # the memory database lives on in `memory`
    settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = memory


@pytest.fixture
def database_tasks(settings):
    """Tasks go through the database (as in production) instead of running inline."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }


@pytest.fixture
def run_worker(database_tasks, monkeypatch):
    """Run this project's task worker in the test's own process until its queue is
    empty (``db_worker --batch``): ``run_worker(queue="documents")``."""
    from django_tasks_db.management.commands import db_worker as library

    from lms.management.commands.db_worker import Worker

    # The worker checks its connection between tasks; inside a test's transaction
    # that would close it.
    monkeypatch.setattr(library, "close_old_connections", lambda: None)

    def run(*, queue: str = "default", worker_id: str = "test-worker") -> None:
        Worker(
            queue_names=[queue],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()

    return run
