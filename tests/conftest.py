import os

import pytest
from django.db import connection


@pytest.fixture
def home_pages(db):
    """The three home pages (ru site root, kk and en translations)."""
    from cms.demo import seed_home_pages

    home = seed_home_pages()
    return {
        page.locale.language_code: page.specific for page in home.get_translations(inclusive=True)
    }


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
