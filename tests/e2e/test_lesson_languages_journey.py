"""Pages looked at in their other languages: a Kazakh and an English lesson of the demo
course on a phone and a desktop, and the admin's course translations report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from tests.e2e.browser_helpers import (
    VIEWPORTS,
    axe_violations,
    check_layout,
    describe,
    sign_in,
    watch_problems,
)

LESSON = "/{language}/courses/akim-2021/module-01/lesson-1/"
# Wagtail's own chrome (the sidebar's search box and its collapsed menu), not ours.
WAGTAIL_CHROME = ("input#menu-search-q", '<span aria-hidden="true">')


@pytest.fixture
def course_site(demo_site):
    from django.core.cache import cache

    from cms.models import HomePage
    from demo.course import seed_course

    seed_course(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    cache.clear()
    return demo_site


def checked(page, name: str, ignore: tuple[str, ...] = ()) -> None:
    problems = [p for p in check_layout(page, name) if not any(i in p for i in ignore)]
    assert not problems, "\n".join(problems)
    found = axe_violations(page)
    assert not found, describe(found)


def clipped_captions(page) -> list[str]:
    """The captions of scrolling tables that run past their box (read only by scrolling)."""
    return page.locator(".table-wrap caption").evaluate_all(
        """caps => caps.filter(c => c.getBoundingClientRect().right
            > c.closest('.table-wrap').getBoundingClientRect().right + 0.5)
            .map(c => c.textContent.trim())"""
    )


def test_a_lesson_in_kazakh_and_in_english(page, course_site):
    problems = watch_problems(page)
    sign_in(page, course_site, "learner@example.com", demo_password())
    for language in ("kk", "en"):
        page.goto(course_site + LESSON.format(language=language))
        expect(page.locator("html")).to_have_attribute("lang", language)
        checked(page, f"lesson-{language}")
        page.set_viewport_size(VIEWPORTS["phone"])
        assert clipped_captions(page) == [], language  # a wide table scrolls; its title not
        page.set_viewport_size(VIEWPORTS["desktop"])
    assert problems == []


def test_the_course_translations_report(page, course_site):
    sign_in(page, course_site, "admin@example.com", demo_password())
    for width in ("phone", "desktop"):
        # Wagtail lays its sidebar out for the width the page is loaded at.
        page.set_viewport_size(VIEWPORTS[width])
        page.goto(course_site + "/admin/learning/translations/")
        expect(page.locator("table.listing")).to_be_visible()
        checked(page, f"course-translations-{width}", ignore=WAGTAIL_CHROME)
