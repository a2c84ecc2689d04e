"""A learner's course journey: from the dashboard to a lesson marked done, and back.

The demo programme (``demo.course.seed_course``) is seeded into the live server's
database: the course "akim-2021" with its modules and lessons, and a cohort holding the
demo learner. Texts are looked up in the project's translation catalogues in the page's
language, so the tests follow the templates' wording in Russian and Kazakh alike.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from demo.course import lesson, lesson_translation, programme
from tests.e2e.browser_helpers import (
    VIEWPORTS,
    axe_violations,
    check_layout,
    describe,
    gettext_in,
    horizontal_overflow,
    page_weight,
    screenshot,
    sign_in,
    watch_problems,
)

LEARNER_EMAIL = "learner@example.com"
LEARNER_LANGUAGE = "kk"  # the demo learner's preferred language: sign-in ends in Kazakh
PAGE_BUDGET = 100_000  # bytes on the wire, first view, everything the page loads

COURSE_SLUG = "akim-2021"
COURSE_PATH = f"/ru/courses/{COURSE_SLUG}/"
MODULE_PATH = COURSE_PATH + "module-01/"
LESSON_PATH = MODULE_PATH + "lesson-1/"
DASHBOARD_PATH = f"/{LEARNER_LANGUAGE}/dashboard/"
FIRST_LESSON = programme()["modules"][0]["lessons"][0]
FIRST_LESSON_TITLE = lesson(FIRST_LESSON)[0]["title"]  # at LESSON_PATH, in Russian


@pytest.fixture
def course_site(demo_site):
    """The demo site with the demo course and its cohort; returns the live server's URL."""
    from django.core.cache import cache

    from cms.models import HomePage
    from demo.course import seed_course

    seed_course(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    cache.clear()  # Wagtail's cached site root paths
    return demo_site


def page_language(page) -> str:
    return page.locator("html").get_attribute("lang")


def t(page, message: str) -> str:
    """``message`` as the current page's language has it."""
    return gettext_in(page_language(page), message)


def sign_in_as_learner(page, base_url: str) -> None:
    sign_in(page, base_url, LEARNER_EMAIL, demo_password())
    expect(page).to_have_url(base_url + DASHBOARD_PATH)


def course_card(page):
    """The dashboard's card of the demo course."""
    cards = page.locator("article.course-progress").filter(
        has=page.locator(f'h3 a[href$="/courses/{COURSE_SLUG}/"]')
    )
    expect(cards).to_have_count(1)
    return cards


def course_progress_bar(page):
    """The course's own progress bar (the per-module ones sit further down the card)."""
    return course_card(page).locator("p.progress progress").first


def test_learner_marks_a_lesson_done_and_sees_progress(page, course_site):
    problems = watch_problems(page)
    sign_in_as_learner(page, course_site)

    # The dashboard lists the course, nothing done yet.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(page, "My learning"))
    expect(course_progress_bar(page)).to_have_attribute("value", "0")

    # Course page, from the dashboard (in the learner's language).
    course_card(page).get_by_role("heading", level=3).get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/{LEARNER_LANGUAGE}/courses/{COURSE_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#my-progress")).to_have_text(t(page, "My progress"))

    # The first module, then its first lesson.
    page.locator("ol.modules").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/courses/{COURSE_SLUG}/module-01/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    first_item = page.locator("ol.items > li").first
    expect(first_item).not_to_have_class(re.compile(r"\bitem--done\b"))
    first_item.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/courses/{COURSE_SLUG}/module-01/lesson-1/$"))

    # Reading it: the heading, the text, the way to mark it done at the end.
    lesson = page.locator("article.lesson")
    title = lesson_translation(FIRST_LESSON, LEARNER_LANGUAGE)[0]["title"]
    expect(lesson.get_by_role("heading", level=1)).to_have_text(title)
    expect(lesson.locator("p").nth(1)).to_be_visible()
    mark_done = page.get_by_role("button", name=t(page, "Mark as done"), exact=True)
    mark_done.scroll_into_view_if_needed()
    expect(mark_done).to_be_visible()
    mark_done.click()

    # Back on the lesson: confirmed, and shown as done instead of the button.
    expect(page).to_have_url(re.compile(rf"/courses/{COURSE_SLUG}/module-01/lesson-1/$"))
    expect(page.get_by_role("status")).to_contain_text(t(page, "Lesson marked as done."))
    expect(page.get_by_text(t(page, "You have marked this lesson as done."))).to_be_visible()
    expect(mark_done).to_have_count(0)

    # The module lists the lesson as done.
    page.get_by_role("navigation", name=t(page, "Breadcrumb")).get_by_role("link").nth(1).click()
    expect(page).to_have_url(re.compile(rf"/courses/{COURSE_SLUG}/module-01/$"))
    first_item = page.locator("ol.items > li").first
    expect(first_item).to_have_class(re.compile(r"\bitem--done\b"))
    expect(first_item.locator(".item__meta")).to_contain_text(t(page, "done"))

    # The dashboard's progress bar has moved.
    page.get_by_role("navigation", name=t(page, "Main")).get_by_role(
        "link", name=t(page, "My learning")
    ).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    value = course_progress_bar(page).get_attribute("value")
    assert int(value) > 0, f"progress bar value {value!r} after a lesson marked done"
    screenshot(page, "dashboard-with-progress")
    assert problems == []


PAGES = {
    "course": COURSE_PATH,
    "module": MODULE_PATH,
    "lesson": LESSON_PATH,
    "dashboard": DASHBOARD_PATH,  # with the course and its progress bars on it
}


def test_no_serious_accessibility_violations(page, course_site):
    """axe-core on each learner page, signed in; one test, as seeding the course is slow.

    Every page is checked before the verdict, so one failure does not hide another.
    """
    sign_in_as_learner(page, course_site)
    found = {}
    for name, path in PAGES.items():
        page.goto(course_site + path)
        expect(page).to_have_url(course_site + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if name == "dashboard":
            expect(course_progress_bar(page)).to_be_attached()
        violations = axe_violations(page)
        if violations:
            found[name] = describe(violations)
    assert not found, "\n".join(f"{name} ({PAGES[name]}):\n{text}" for name, text in found.items())


def test_course_pages_pass_the_layout_checks(page, course_site):
    """At 390 and 1280 px, signed in: the course, module, lesson and dashboard pages."""
    sign_in_as_learner(page, course_site)
    found = []
    for name, path in PAGES.items():
        page.goto(course_site + path)
        expect(page).to_have_url(course_site + path)
        found += check_layout(page, name)
    assert not found, "\n".join(found)


def test_lesson_first_view_is_light(page, browser, browser_context_args, course_site):
    """The lesson page, signed in, with an empty cache: under the budget on the wire."""
    sign_in_as_learner(page, course_site)
    # A new context with the session cookie but none of the sign-in page's cache.
    fresh = browser.new_context(**browser_context_args, storage_state=page.context.storage_state())
    try:
        lesson_page = fresh.new_page()
        wire, decoded, requests = page_weight(lesson_page, course_site + LESSON_PATH)
        expect(lesson_page).to_have_url(course_site + LESSON_PATH)
        expect(lesson_page.locator("article.lesson h1")).to_have_text(FIRST_LESSON_TITLE)
        statuses = {r.url.removeprefix(course_site): r.response().status for r in requests}
        assert set(statuses.values()) == {200}, statuses
        summary = ", ".join(f"{r.url.removeprefix(course_site)} {r.sizes()}" for r in requests)
        assert wire < PAGE_BUDGET, f"{wire} bytes on the wire ({decoded} decoded): {summary}"
    finally:
        fresh.close()


def test_lesson_fits_a_phone_screen(page, course_site):
    """No sideways scrolling at 390 px: wide tables scroll inside their .table-wrap."""
    sign_in_as_learner(page, course_site)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(course_site + LESSON_PATH)
    expect(page.locator("article.lesson h1")).to_have_text(FIRST_LESSON_TITLE)
    screenshot(page, "lesson")  # phone and desktop; the phone size is put back

    tables = page.locator("article.lesson table")
    assert tables.count() > 0, "the first demo lesson is expected to hold a table"
    unwrapped = page.evaluate(
        "() => [...document.querySelectorAll('article.lesson table')]"
        ".filter(table => !table.closest('.table-wrap')).length"
    )
    assert unwrapped == 0, f"{unwrapped} lesson table(s) not inside a scrollable .table-wrap"
    for wrap in page.locator("article.lesson .table-wrap").all():
        assert wrap.evaluate("el => getComputedStyle(el).overflowX") in {"auto", "scroll"}

    overflow = horizontal_overflow(page)
    assert overflow == 0, (
        f"the lesson scrolls sideways by {overflow} px on a 390 px phone; "
        f"too wide: {too_wide(page)}"
    )


def too_wide(page) -> list[str]:
    """The first few elements outside a .table-wrap that stick out past the viewport."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .filter(el => !el.closest('.table-wrap'))
                .slice(0, 5)
                .map(el => `${el.tagName.toLowerCase()}.${el.className} `
                    + `right=${Math.round(el.getBoundingClientRect().right)}`);
        }"""
    )


def test_lesson_on_a_phone_has_no_serious_accessibility_violations(page, course_site):
    """axe-core at 390 px, where the lesson's tables are wider than the screen."""
    sign_in_as_learner(page, course_site)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(course_site + LESSON_PATH)
    expect(page.locator("article.lesson h1")).to_have_text(FIRST_LESSON_TITLE)
    wraps = page.locator("article.lesson .table-wrap")
    if not wraps.evaluate_all("els => els.some(el => el.scrollWidth > el.clientWidth)"):
        # pytest.fail, not assert: a real failure, not the expected one.
        pytest.fail("no lesson table is wider than a phone: nothing scrolls to check")
    found = axe_violations(page)
    assert not found, describe(found)


def edge_brightness(wrap, side: str) -> int:
    """The brightest pixel in a 3 px strip just inside the box's ``side`` edge (above
    any scrollbar): 255 where nothing covers the background, less under a shadow."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(wrap.screenshot())).convert("L")
    width, height = image.size
    left = 2 if side == "left" else width - 5
    return image.crop((left, 0, left + 3, max(1, height - 20))).getextrema()[1]


def test_a_wide_lesson_table_shows_that_it_scrolls(page, course_site):
    """At 390 px a table wider than the screen scrolls inside its focusable, labelled
    region, with a shadow on the side where more of it is hidden (no script needed)."""
    sign_in_as_learner(page, course_site)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(course_site + LESSON_PATH)
    wrap = page.locator("article.lesson .table-wrap").filter(has=page.locator("table")).first
    expect(wrap).to_have_attribute("role", "region")
    expect(wrap).to_have_attribute("tabindex", "0")
    expect(wrap).to_have_attribute("aria-label", re.compile(r"\S"))
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth + 20"), "the table fits: no test"
    assert horizontal_overflow(page) == 0

    # At the start: a shadow on the right only.
    assert edge_brightness(wrap, "left") == 255
    assert edge_brightness(wrap, "right") < 235, "no sign that the table goes on to the right"
    # Scrolled to the end (as a keyboard or a finger would): the shadow moves left.
    wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert edge_brightness(wrap, "left") < 235, "no sign that the table goes on to the left"
    assert edge_brightness(wrap, "right") == 255
