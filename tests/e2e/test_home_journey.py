"""A visitor's first journey: the home page, its languages, signing in and out.

Texts are looked up in the project's own translation catalogues (and the form's own
labels), so the tests follow the wording of the templates in every language.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from playwright.sync_api import expect

from cms.services import HOME_CONTENT
from demo.accounts import demo_password
from tests.e2e.browser_helpers import (
    axe_violations,
    check_layout,
    describe,
    page_weight,
    screenshot,
    watch_problems,
)

LEARNER_EMAIL = "learner@example.com"
LEARNER_NAME = "Ерлан Болатұлы Сейітов"
LEARNER_LANGUAGE = "kk"  # the demo learner's preferred language
PAGE_BUDGET = 100_000  # bytes on the wire, first view, everything the page loads


def t(message: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def login_labels(language: str) -> tuple[str, str]:
    """The sign-in form's field labels, as the form renders them in ``language``."""
    with translation.override(language):
        form = AuthenticationForm()
        return str(form.fields["username"].label), str(form.fields["password"].label)


def page_language(page) -> str:
    return page.locator("html").get_attribute("lang")


def fill_login_form(page, email: str, password: str) -> None:
    """Sign in through the form, finding its fields by their labels in the page's language."""
    language = page_language(page)
    username_label, password_label = login_labels(language)
    page.get_by_label(username_label, exact=True).fill(email)
    page.get_by_label(password_label, exact=True).fill(password)
    sign_in = t("Sign in", language)
    page.get_by_role("main").get_by_role("button", name=sign_in, exact=True).click()


def sign_in_as_learner(page, base_url: str) -> None:
    page.goto(base_url + "/accounts/login/")
    fill_login_form(page, LEARNER_EMAIL, demo_password())
    expect(page).to_have_url(re.compile(rf"/{LEARNER_LANGUAGE}/dashboard/$"))


def header(page):
    return page.get_by_role("banner")


# Reported separately by test_browser_finds_a_favicon (an expected failure for now).
FAVICON = "/favicon.ico"


@pytest.fixture
def browser_problems(page):
    """Console errors (CSP violations, failed loads), uncaught exceptions and HTTP errors."""
    return watch_problems(page)


def test_home_page_switches_to_kazakh(page, demo_site, browser_problems):
    page.goto(demo_site + "/")
    # A Russian-speaking browser (Accept-Language: ru-RU) lands on the Russian home page.
    expect(page).to_have_url(demo_site + "/ru/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_CONTENT["ru"]["title"])

    languages = header(page).get_by_role("navigation", name=t("Language", "ru"))
    languages.get_by_role("link", name="Қазақша").click()

    expect(page).to_have_url(demo_site + "/kk/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_CONTENT["kk"]["title"])
    current = header(page).get_by_role("navigation", name=t("Language", "kk"))
    expect(current.locator("[aria-current]")).to_have_text("Қазақша")
    assert browser_problems == []


def test_learner_signs_in_and_out(page, demo_site, browser_problems):
    page.goto(demo_site + "/ru/")
    expect(header(page)).not_to_contain_text(LEARNER_NAME)

    # The home page's call to action has no ?next=, so sign-in ends on the dashboard,
    # in the learner's preferred language.
    page.get_by_role("link", name=t("Sign in to your courses", "ru")).click()
    expect(page).to_have_url(demo_site + "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in", "ru"))
    screenshot(page, "login")
    fill_login_form(page, LEARNER_EMAIL, demo_password())

    expect(page).to_have_url(demo_site + f"/{LEARNER_LANGUAGE}/dashboard/")
    expect(page.locator("html")).to_have_attribute("lang", LEARNER_LANGUAGE)
    expect(header(page).get_by_text(LEARNER_NAME, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My learning", LEARNER_LANGUAGE))
    screenshot(page, "dashboard")

    # Sign out is a POST form in the header; it ends on the home page.
    header(page).get_by_role("button", name=t("Sign out", LEARNER_LANGUAGE)).click()
    expect(page).to_have_url(re.compile(r"/(ru|kk)/$"))
    expect(header(page)).not_to_contain_text(LEARNER_NAME)
    sign_in = t("Sign in", page_language(page))
    expect(header(page).get_by_role("link", name=sign_in, exact=True)).to_be_visible()

    # The session is really gone: the dashboard asks to sign in again.
    page.goto(demo_site + f"/{LEARNER_LANGUAGE}/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert browser_problems == []


def test_header_sign_in_link_returns_to_the_page(page, demo_site):
    page.goto(demo_site + "/kk/")
    header(page).get_by_role("link", name=t("Sign in", "kk"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/kk/$"))
    fill_login_form(page, LEARNER_EMAIL, demo_password())
    expect(page).to_have_url(demo_site + "/kk/")
    expect(header(page).get_by_text(LEARNER_NAME, exact=True)).to_be_visible()


def test_sign_in_page_keeps_the_chosen_language(page, demo_site):
    page.goto(demo_site + "/ru/")
    header(page).get_by_role("navigation", name=t("Language", "ru")).get_by_role(
        "link", name="Қазақша"
    ).click()
    expect(page).to_have_url(demo_site + "/kk/")
    header(page).get_by_role("link", name=t("Sign in", "kk"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert page_language(page) == "kk"


PAGES = {
    # name: (path, signed in as the learner)
    "home-ru": ("/ru/", False),
    "home-kk": ("/kk/", False),
    "login": ("/accounts/login/", False),
    "dashboard": (f"/{LEARNER_LANGUAGE}/dashboard/", True),
}


def open_page(page, base_url: str, name: str) -> None:
    path, signed_in = PAGES[name]
    if signed_in:
        sign_in_as_learner(page, base_url)
    page.goto(base_url + path)
    expect(page).to_have_url(base_url + path)


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(page, demo_site, name):
    open_page(page, demo_site, name)
    found = axe_violations(page)
    assert not found, describe(found)


@pytest.mark.parametrize("name", PAGES)
def test_page_passes_the_layout_checks(page, demo_site, name):
    """At 390 and 1280 px: no sideways scrolling, labels beside controls, targets and
    text large enough, one h1; screenshots (phone and desktop) for a human look."""
    open_page(page, demo_site, name)
    assert not (found := check_layout(page, name)), "\n".join(found)


def test_home_page_first_view_is_light(page, demo_site):
    wire, decoded, requests = page_weight(page, demo_site + "/")
    expect(page).to_have_url(demo_site + "/ru/")

    # The stylesheet came from the live server's static files and applies.
    stylesheets = {
        r.url.removeprefix(demo_site): r.response().status
        for r in requests
        if r.resource_type == "stylesheet"
    }
    assert stylesheets.get("/static/css/site.css") == 200, stylesheets
    assert set(stylesheets.values()) == {200}, stylesheets
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(0, 62, 85)")

    summary = ", ".join(f"{r.url.removeprefix(demo_site)} {r.sizes()}" for r in requests)
    assert wire < PAGE_BUDGET, f"{wire} bytes on the wire ({decoded} decoded): {summary}"


def test_browser_finds_a_favicon(page, demo_site):
    page.goto(demo_site + "/ru/")
    declared = page.locator("link[rel~=icon]")
    href = declared.first.get_attribute("href") if declared.count() else FAVICON
    if href.startswith("data:"):
        return
    response = page.request.get(href if "://" in href else demo_site + href)
    assert response.ok, f"{href}: HTTP {response.status}"
