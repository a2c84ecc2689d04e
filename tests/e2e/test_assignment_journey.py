"""A learner hands in a file from a phone (390 px, the page's script sending it), the
trainer returns the work for revision, the learner hands it in again, and the trainer
marks it with the rubric; the learner then sees the mark, on the assignment and in
their grades, and the trainer sees it in the cohort's gradebook.

A small course is built in the live server's database; controls are found by ids,
names and values, so the journey does not depend on compiled catalogues.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from tests.e2e.browser_helpers import horizontal_overflow, sign_in
from tests.factories.assignments import build_assignment, pdf_bytes


@pytest.fixture
def assignment_site(demo_site):
    from django.core.cache import cache

    from cms.models import HomePage
    from courses.models import ModulePage
    from courses.services import enrolment_create
    from lms.models import User
    from tests.factories.courses import build_cohort, build_course

    home = HomePage.objects.get(depth=2, locale__language_code="ru")
    course = build_course(home, modules=1, lessons=1, slug="projects")
    trainer = User.objects.get(email="trainer@example.com")
    cohort = build_cohort(course, trainers=[trainer])
    enrolment_create(learner=User.objects.get(email="learner@example.com"), cohort=cohort)
    page = build_assignment(ModulePage.objects.child_of(course).get())
    cache.clear()
    return demo_site, page, cohort


def _learner_hands_in(browser, site, url, text):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    page = context.new_page()
    sign_in(page, site, "learner@example.com", demo_password())
    page.goto(site + url)
    assert horizontal_overflow(page) == 0
    page.locator("#work-text").fill(text)
    page.locator("#work-files").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator(".submission-state")).to_have_attribute("data-state", "submitted")
    expect(page.locator(".submission-version").first).to_contain_text("plan.pdf")
    context.close()


def _trainer_opens(browser, site):
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    sign_in(page, site, "trainer@example.com", demo_password())
    page.goto(site + "/admin/learning/assignments/")
    page.locator(".lms-submission a.button").first.click()
    expect(page).to_have_url(re.compile(r"/admin/learning/assignments/\d+/$"))
    return context, page


def test_hand_in_return_hand_in_again_and_mark(browser, assignment_site):
    site, assignment, cohort = assignment_site
    graded = f"assignment:{assignment.translation_key}"
    mark = re.compile(r"^\s*\d+([,.]\d+)?\s*$")  # a percentage, not "—" or "not released"
    url = assignment.url

    _learner_hands_in(browser, site, url, "План площадки у школы")

    context, page = _trainer_opens(browser, site)
    page.locator("#id_comment").fill("Добавьте смету")
    page.locator("button[name=action][value=return]").click()
    expect(page).to_have_url(re.compile(r"/admin/learning/assignments/$"))
    context.close()

    _learner_hands_in(browser, site, url, "План площадки у школы и смета")

    context, page = _trainer_opens(browser, site)
    page.get_by_role("radio", name="С цифрами (4)").check()
    page.get_by_role("radio", name="Обоснован (6)").check()
    page.locator("button[name=action][value=mark]").click()
    expect(page).to_have_url(re.compile(r"/admin/learning/assignments/$"))
    page.goto(f"{site}/admin/learning/cohorts/{cohort.pk}/gradebook/")
    expect(page.locator(f'[data-cell$="-{graded}"]')).to_have_text(mark)
    context.close()

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    page = context.new_page()
    sign_in(page, site, "learner@example.com", demo_password())
    page.goto(site + url)
    expect(page.locator(".submission-state")).to_have_attribute("data-state", "marked")
    expect(page.locator(".rubric-result")).to_contain_text("С цифрами")
    expect(page.locator(".submission-version")).to_have_count(2)
    assert horizontal_overflow(page) == 0
    page.goto(f"{site}/ru/gradebook/{cohort.course.translation_key}/")
    expect(page.locator(f'tr[data-item="{graded}"] td').last).to_have_text(mark)
    assert horizontal_overflow(page) == 0
    context.close()
