"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Run them in their own pytest process (``make test-e2e``): Playwright's sync API leaves an
asyncio loop marked as running in the main thread, which breaks ``async_to_sync`` for the
rest of the suite. ``playwright install`` is never needed: Debian's Chromium is used.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # as root: "Running as root without --no-sandbox is not supported"
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-pings",
    "--disable-domain-reliability",
    # Offline: every other hostname is NXDOMAIN at once, so no DNS query leaves the box
    # (Chromium looks up accounts.google.com unprompted) and a third-party asset fails
    # fast instead of hanging.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def _chromium_problem() -> str | None:
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return None
    return (
        f"Chromium not found at {CHROMIUM}. Install Debian's (apt-get install "
        "--no-install-recommends chromium fonts-liberation) or set CHROMIUM_PATH; "
        "never `playwright install`."
    )


def _is_e2e(item) -> bool:
    return E2E_DIR in Path(item.path).resolve().parents


@pytest.hookimpl(trylast=True)  # after -k/-m deselection and pytest-django's ordering
def pytest_collection_modifyitems(config, items):
    """Browser tests use the live server, so they get a transactional DB that restores
    the rows made by migrations (Wagtail's root page, site, collection; locales, regions,
    groups) with serialized_rollback: each test's flush would delete them otherwise.

    All or none: a plain flush re-runs post_migrate, and a later restore then fails
    with "UNIQUE constraint failed".

    Collected with the rest of the suite (a bare ``pytest``), they are skipped: the
    test database would be made before Playwright starts (losing the serialized rows),
    and Playwright's loop would break ``async_to_sync`` for the tests that follow.
    """
    e2e = [item for item in items if _is_e2e(item)]
    if e2e and len(e2e) < len(items):
        skip = pytest.mark.skip(
            reason="browser tests run in their own pytest process: make test-e2e "
            "(pytest tests/e2e); the rest: pytest --ignore=tests/e2e"
        )
        for item in e2e:
            item.add_marker(skip)
        return
    for item in e2e:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        if kwargs.get("transaction") or {"live_server", "transactional_db"} & set(
            item.fixturenames
        ):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session", autouse=True)
def _playwright_before_db(request):
    """Check for Chromium, then start Playwright before the test database.

    Once Playwright's loop runs, asgiref hands Django new connection objects, and the
    data kept for serialized_rollback on the old ones would be lost silently.
    Without Chromium the journeys skip, except in CI (CI=true), where they fail.
    """
    problem = _chromium_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the browser tests cannot run: {problem}", pytrace=False)
        pytest.skip(problem)
    # With Playwright's loop "running" in this thread, Django would raise
    # SynchronousOnlyOperation on test DB setup, flush and ORM calls. Set here, not at
    # import, so that collecting this directory alongside the rest changes nothing.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    request.getfixturevalue("playwright")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's browser, context and page fixtures then use Debian's Chromium."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Russian-speaking visitor in Kazakhstan, on a desktop-sized window.

    The locale sets Accept-Language, which picks the language "/" redirects to.
    """
    return {
        **browser_context_args,
        "locale": "ru-RU",
        "timezone_id": "Asia/Almaty",
        "viewport": {"width": 1280, "height": 800},
    }


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after the test database exists.

    Otherwise it starts first, while the database is still the file in settings, and
    does not share the test thread's in-memory SQLite connection the way Django's
    LiveServerTestCase does (it then only works through SQLite's shared cache).
    """
    return live_server


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The demo accounts and home pages in the live server's database; returns its URL.

    Wagtail caches each site's root paths in Django's cache, so that is cleared after
    seeding, or pages would be routed with the paths of a flushed page tree.
    """
    from django.core.cache import cache

    from demo.accounts import seed_accounts
    from demo.news import seed_home_pages

    seed_accounts()
    seed_home_pages()
    cache.clear()
    return live_server.url
