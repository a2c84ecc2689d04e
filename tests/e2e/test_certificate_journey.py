"""A learner finishes the course and gets a certificate anyone can verify; a registrar
revokes it (choosing the reason and confirming) and the public page says so from that
moment, without the reason; the registrar then issues a new one from the revoked one."""

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from tests.e2e.browser_helpers import axe_violations, check_layout, describe, gettext_in, sign_in

LEARNER_EMAIL = "learner@example.com"  # prefers Kazakh
REGISTRAR_EMAIL = "registrar@example.com"


@pytest.fixture
def almost_done(demo_site):
    """The demo course with every required item done for the learner but the first lesson."""
    from django.core.cache import cache

    from cms.models import HomePage
    from courses import services
    from courses.models import LessonPage, QuizPage
    from demo.course import seed_course
    from lms.models import User

    cohort = seed_course(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    learner = User.objects.get(email=LEARNER_EMAIL)
    lessons = LessonPage.objects.descendant_of(cohort.course).filter(required=True).order_by("path")
    for lesson in lessons[1:]:
        services.lesson_complete(learner=learner, lesson=lesson)
    for page in QuizPage.objects.descendant_of(cohort.course).filter(required=True):
        services.quiz_page_passed(learner=learner, quiz_page=page)
    cache.clear()
    return demo_site, lessons[0].url


def test_certificate_is_issued_verified_and_revoked(
    page, browser, browser_context_args, almost_done
):
    base, last_lesson = almost_done
    sign_in(page, base, LEARNER_EMAIL, demo_password())
    page.goto(base + last_lesson)
    language = page.locator("html").get_attribute("lang")
    page.get_by_role("button", name=gettext_in(language, "Mark as done"), exact=True).click()

    page.goto(base + "/kk/dashboard/")
    certificates = page.get_by_role("region", name=gettext_in("kk", "My certificates"))
    link = certificates.get_by_role(
        "link", name=gettext_in("kk", "Verification page (share this link)")
    )
    expect(link).to_be_visible()
    layout = check_layout(page, "dashboard-certificate")
    verify_path = link.get_attribute("href")
    assert verify_path.startswith("/v/")

    # A stranger, in a fresh browser, checks it.
    stranger = browser.new_context(**browser_context_args)
    public = stranger.new_page()
    public.goto(base + verify_path)
    expect(public.locator(".verdict__status")).to_have_text(gettext_in("ru", "VALID"))
    expect(public.get_by_text("Ерлан Болатұлы Сейітов")).to_be_visible()
    assert not (found := axe_violations(public)), describe(found)
    layout += check_layout(public, "verify-valid")

    # A registrar revokes it in the admin.
    from certification.models import Certificate

    certificate = Certificate.objects.get(holder__email=LEARNER_EMAIL)
    staff = browser.new_context(**browser_context_args).new_page()
    staff.goto(base + "/admin/login/")
    staff.locator("input[name=username]").fill(REGISTRAR_EMAIL)
    staff.locator("input[name=password]").fill(demo_password())
    staff.locator("form button[type=submit]").first.click()
    staff.goto(base + f"/admin/certification_certificate/inspect/{certificate.pk}/")
    staff.locator(f'a[href$="/revoke/{certificate.pk}/"]').click()
    # Nothing is chosen for the registrar, and nothing happens until they confirm.
    expect(staff.locator("select[name=reason]")).to_have_value("")
    staff.locator("select[name=reason]").select_option("misconduct")
    staff.locator("form button.no[type=submit]").click()
    expect(staff.locator("input[name=confirm]")).to_be_visible()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    staff.locator("input[name=confirm]").check()
    staff.locator("form button.no[type=submit]").click()
    staff.wait_for_url(f"**/inspect/{certificate.pk}/")

    public.reload()
    expect(public.locator(".verdict__status")).to_have_text(gettext_in("ru", "REVOKED"))
    verdict = public.locator(".verdict").inner_text()
    assert gettext_in("ru", "withdrawn by the issuer") in verdict
    assert gettext_in("ru", "misconduct (academic dishonesty)") not in verdict
    layout += check_layout(public, "verify-revoked")
    stranger.close()

    # The learner's dashboard lists it as revoked, with nothing to share.
    page.goto(base + "/kk/dashboard/")
    expect(certificates.get_by_text(gettext_in("kk", "revoked"))).to_be_visible()
    expect(link).to_have_count(0)

    # From the revoked certificate, the registrar issues a new one in one step, warned
    # first that it was revoked for misconduct.
    staff.goto(base + f"/admin/certification_certificate/inspect/{certificate.pk}/")
    expect(staff.locator(".help-warning")).to_be_visible()
    staff.locator(f'form[action$="/replace/{certificate.pk}/"] button').click()
    new = Certificate.objects.get(holder__email=LEARNER_EMAIL, revoked_at__isnull=True)
    staff.wait_for_url(f"**/inspect/{new.pk}/")
    page.goto(base + "/kk/dashboard/")
    expect(link).to_have_attribute("href", f"/v/{new.printed_number}")
    assert not layout, "\n".join(layout)


def test_check_page_takes_a_typed_number(page, almost_done):
    base, _ = almost_done
    from courses.models import Cohort
    from demo.certificate import seed_certificate

    certificate = seed_certificate(cohort=Cohort.objects.get())
    page.goto(base + "/ru/certificates/check/")
    layout = check_layout(page, "certificate-check")
    typed = certificate.printed_number.lower().replace("-", " ")
    page.get_by_label(gettext_in("ru", "Certificate number")).fill(typed)
    page.get_by_role("button", name=gettext_in("ru", "Check"), exact=True).click()
    expect(page.locator(".verdict__status")).to_have_text(gettext_in("ru", "VALID"))
    assert not (found := axe_violations(page)), describe(found)
    layout += check_layout(page, "certificate-checked")
    assert not layout, "\n".join(layout)
