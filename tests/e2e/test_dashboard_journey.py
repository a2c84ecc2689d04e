"""The learner's dashboard on a phone: the certificate preview is drawn even in a
full-page screenshot, the course has its picture or a placeholder, an ended cohort says so."""

import pytest

from demo.accounts import demo_password
from tests.e2e.browser_helpers import gettext_in, screenshot, sign_in

HOLDER_EMAIL = "learner2@example.com"


@pytest.fixture
def holder_site(demo_site):
    from django.core.cache import cache

    from cms.models import HomePage
    from demo.certificate import seed_certificate
    from demo.course import seed_course

    cohort = seed_course(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    seed_certificate(cohort=cohort)
    cache.clear()
    return demo_site, cohort


def test_the_certificate_preview_is_loaded_below_the_fold(page, holder_site):
    """Issue 14: the preview was an empty box in a full-page screenshot. It was not
    broken (its URL answers a PNG) but lazily loaded: an image below the fold is not
    fetched until scrolled to, and a full-page screenshot does not scroll."""
    base, cohort = holder_site
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, HOLDER_EMAIL, demo_password())
    page.goto(base + "/ru/dashboard/", wait_until="load")
    preview = page.locator("img.certificate-preview")
    assert preview.bounding_box()["y"] > 844  # below the fold: where lazy loading waits
    assert preview.evaluate("img => img.complete && img.naturalWidth > 0")
    ended = gettext_in("ru", "The cohort ended on %(date)s").split("%(date)s")[0]
    assert ended.strip() in page.locator(".course-progress").inner_text()
    assert page.locator(".course-progress__image").count() == 1
    screenshot(page, "dashboard-with-certificate")
