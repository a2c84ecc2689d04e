"""Asking under a lesson with JavaScript off: the plain form posts, the question's page
follows, and a classmate's answer form is there too.

The demo course and its cohort are seeded into the live server's database; fields are
found by their ids and the form by its class, so the journey does not depend on the
translation catalogues being compiled.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from tests.e2e.browser_helpers import sign_in

LESSON_PATH = "/ru/courses/akim-2021/module-01/lesson-1/"


@pytest.fixture
def course_site(demo_site):
    from django.core.cache import cache

    from cms.models import HomePage
    from demo.course import seed_course

    seed_course(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    cache.clear()
    return demo_site


def test_a_learner_asks_under_a_lesson_without_javascript(browser, course_site):
    context = browser.new_context(java_script_enabled=False, locale="ru-RU")
    page = context.new_page()
    sign_in(page, course_site, "learner@example.com", demo_password())
    page.goto(course_site + LESSON_PATH)
    form = page.locator("form.question-form")
    form.locator("#id_title").fill("Кто утверждает бюджет сельского округа?")
    form.locator("#id_body").fill("Подробнее: https://example.org <script>alert(1)</script>")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/questions/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Кто утверждает бюджет сельского округа?"
    )
    expect(page.locator("article.question a[rel='nofollow ugc']")).to_have_count(1)
    expect(page.locator("#id_body")).to_be_visible()  # the answer form

    page.goto(course_site + LESSON_PATH)
    expect(page.locator(".lesson-questions")).to_contain_text(
        "Кто утверждает бюджет сельского округа?"
    )
    context.close()
