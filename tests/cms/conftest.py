import pytest
from django.core.cache import cache

from tests.factories.cms import build_indexes


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty page cache, view counters and rate limits."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def indexes(home_pages):
    """The news index of each language (ru, kk, en), published."""
    return build_indexes(home_pages)
