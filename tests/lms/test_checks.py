"""The deploy checks of the site's configuration (lms/checks.py)."""

import pytest
from django.core.checks import run_checks


def _ids(**kwargs) -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True, **kwargs)}


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [("", "lms.E001"), ("http://akim.example.kz", "lms.E002")],
)
def test_a_missing_or_plain_http_site_url_fails_the_deploy_checks(settings, site_url, expected):
    settings.SITE_URL = site_url
    assert expected in _ids()


def test_an_https_site_url_passes(settings):
    settings.SITE_URL = "https://akim.example.kz"
    assert not {"lms.E001", "lms.E002"} & _ids()


def test_the_site_url_is_not_checked_outside_deploy(settings):
    settings.SITE_URL = ""
    assert "lms.E001" not in {message.id for message in run_checks()}
