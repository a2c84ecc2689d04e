import pytest

from tests.factories.cms import build_indexes


@pytest.fixture
def indexes(home_pages):
    """The news index of each language (ru, kk, en), published."""
    return build_indexes(home_pages)
