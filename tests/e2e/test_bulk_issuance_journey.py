"""A registrar issues certificates to a whole cohort from the admin: picks the cohort,
reads who is eligible on the confirm page, confirms, and follows the run's progress."""

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password

REGISTRAR_EMAIL = "registrar@example.com"


@pytest.fixture
def finished_cohort(demo_site):
    """The demo cohort with both demo learners' enrolments completed, no certificates."""
    from django.core.cache import cache
    from django.utils import timezone

    from cms.models import HomePage
    from courses.models import Enrolment
    from demo.course import seed_course

    cohort = seed_course(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    Enrolment.objects.filter(cohort=cohort).update(
        status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
    )
    cache.clear()
    return demo_site, cohort


def test_registrar_bulk_issues_for_a_cohort(page, finished_cohort):
    from certification.models import BulkIssuance, Certificate

    base, cohort = finished_cohort
    page.goto(base + "/admin/login/")
    page.locator("input[name=username]").fill(REGISTRAR_EMAIL)
    page.locator("input[name=password]").fill(demo_password())
    page.locator("form button[type=submit]").first.click()
    page.goto(base + "/admin/certification_certificate/")
    page.locator("a[href='/admin/certification/bulk/']").first.click()

    page.locator("select[name=cohort]").select_option(str(cohort.pk))
    page.locator("main form[method=get] button[type=submit]").click()
    expect(page).to_have_url(base + f"/admin/certification/bulk/cohort/{cohort.pk}/")
    expect(page.get_by_text("Ерлан Болатұлы Сейітов")).to_be_visible()
    expect(page.get_by_text("Айгүл Маратқызы Омарова")).to_be_visible()
    assert not BulkIssuance.objects.exists()

    page.locator("main form[method=post] button[type=submit]").click()
    run = BulkIssuance.objects.get()
    expect(page).to_have_url(base + f"/admin/certification/bulk/run/{run.pk}/")
    expect(page.locator(".bulk-total")).to_have_text("2")
    expect(page.locator(".bulk-issued")).to_have_text("2")
    expect(page.locator(".bulk-failed")).to_have_text("0")
    assert page.locator("meta[http-equiv=refresh]").count() == 0  # the run is over
    assert Certificate.objects.filter(cohort=cohort, revoked_at__isnull=True).count() == 2

    page.locator(f"a[href='/admin/certification_certificate/?cohort={cohort.pk}']").click()
    for certificate in Certificate.objects.filter(cohort=cohort):
        expect(page.get_by_text(certificate.printed_number)).to_be_visible()
