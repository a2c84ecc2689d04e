"""Learning without a signal, in Chromium: save a module, study it offline, mark a
lesson done offline and see it reach the server when the signal returns; sign out and
nothing of it stays on the device. Also: saving five lessons on a 3G-class link.

Service workers need a real http origin: the live server at http://localhost:<port>.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from tests.e2e.browser_helpers import emulate_slow_link, gettext_in, page_weight, sign_in

LEARNER_EMAIL = "learner@example.com"
COURSE_PATH = "/ru/courses/akim-2021/"
MODULE_PATH = COURSE_PATH + "module-01/"
UNSAVED_PATH = COURSE_PATH + "module-02/"
SAVE_BUDGET_SECONDS = 10
PAGE_BUDGET = 100_000

CACHE_NAMES_JS = "() => caches.keys()"
QUEUE_JS = """() => new Promise(done => {
  const open = indexedDB.open("lms-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("queue", {autoIncrement: true});
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => { open.result.close(); done(all.result.length); }; };
})"""


@pytest.fixture
def course_site(demo_site):
    """The demo course, its first module grown to five lessons (as the issue measures)."""
    from django.core.cache import cache

    from cms.models import HomePage
    from courses.models import LessonPage, ModulePage
    from demo.course import seed_course

    seed_course(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    module = ModulePage.objects.get(
        url_path__endswith="/akim-2021/module-01/", locale__language_code="ru"
    )
    lesson = LessonPage.objects.child_of(module).order_by("path").first()
    for n in range(3):
        extra = LessonPage(
            title=f"{lesson.title} ({n + 3})",
            slug=f"lesson-extra-{n}",
            body=json.dumps(list(lesson.body.raw_data)),
        )
        module.add_child(instance=extra)
        extra.save_revision().publish()
    cache.clear()
    return demo_site


def _lessons():
    from courses.models import LessonPage, ModulePage

    module = ModulePage.objects.get(
        url_path__endswith="/akim-2021/module-01/", locale__language_code="ru"
    )
    return list(LessonPage.objects.child_of(module).live().order_by("path"))


def _save_button(page):
    button = page.locator("[data-offline-save]")
    expect(button).to_be_visible(timeout=15_000)  # once the service worker is active
    return button


def _sign_in(page, base_url):
    sign_in(page, base_url, LEARNER_EMAIL, demo_password())


def test_study_offline_and_sync_when_back(page, course_site):
    from courses.models import ItemCompletion

    _sign_in(page, course_site)
    page.goto(course_site + MODULE_PATH)
    button = _save_button(page)
    status = page.locator("[data-offline-box] [data-offline-status]")
    expect(status).not_to_be_empty()  # the download size, before saving
    button.click()
    expect(button).to_have_attribute("data-offline-state", "saved", timeout=20_000)
    names = page.evaluate(CACHE_NAMES_JS)
    assert any(name.startswith("lms-u") and "-m" in name for name in names), names

    lessons = _lessons()
    assert len(lessons) == 5
    lesson = lessons[-1]  # saved, never opened online
    page.context.set_offline(True)
    try:
        page.goto(course_site + lesson.url)
        expect(page.locator("article.lesson h1")).to_have_text(lesson.title)

        page.goto(course_site + UNSAVED_PATH)
        expect(page.locator("h1")).to_have_text(gettext_in("ru", "No connection"))

        page.goto(course_site + lesson.url)
        form = page.locator("form[data-offline-queue]")
        form.locator('button[type="submit"]').first.click()
        expect(form).to_have_attribute("data-offline-state", "queued")
        assert page.evaluate(QUEUE_JS) == 1
        assert not ItemCompletion.objects.filter(item_key=lesson.translation_key).exists()
    finally:
        page.context.set_offline(False)

    deadline = time.monotonic() + 10
    while not ItemCompletion.objects.filter(item_key=lesson.translation_key).exists():
        assert time.monotonic() < deadline, "the queued 'Mark as done' never reached the server"
        if time.monotonic() > deadline - 7:
            page.reload()  # a page load sends the queue too, where "online" did not fire
        page.wait_for_timeout(500)
    for _ in range(20):  # the queue entry goes once the server has answered
        if page.evaluate(QUEUE_JS) == 0:
            break
        page.wait_for_timeout(250)
    assert page.evaluate(QUEUE_JS) == 0

    page.goto(course_site + "/ru/dashboard/")
    saved = page.locator("[data-offline-saved-list]")
    expect(saved).to_be_visible()
    expect(saved.locator("li a")).to_have_text(lessons[0].get_parent().title)

    page.locator('form[action$="/accounts/logout/"] button').click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    names = page.evaluate(CACHE_NAMES_JS)
    assert not [name for name in names if name.startswith("lms-u")], names
    assert page.evaluate(QUEUE_JS) == 0


def test_saving_five_lessons_on_a_slow_link_takes_under_ten_seconds(page, course_site):
    _sign_in(page, course_site)
    page.goto(course_site + MODULE_PATH)
    _save_button(page)
    emulate_slow_link(page, kbps=400, rtt_ms=400)
    button = _save_button(page)
    started = time.monotonic()
    button.click()
    expect(button).to_have_attribute("data-offline-state", "saved", timeout=30_000)
    took = time.monotonic() - started
    assert took < SAVE_BUDGET_SECONDS, f"saving took {took:.1f} s"


def test_a_lesson_first_view_stays_light_with_the_offline_script(
    page, browser, browser_context_args, course_site
):
    _sign_in(page, course_site)
    fresh = browser.new_context(**browser_context_args, storage_state=page.context.storage_state())
    try:
        lesson_page = fresh.new_page()
        wire, decoded, requests = page_weight(lesson_page, course_site + _lessons()[0].url)
        urls = [r.url for r in requests]
        assert any(url.endswith("/js/offline.js") for url in urls), urls
        assert wire < PAGE_BUDGET, f"{wire} bytes on the wire ({decoded} decoded)"
    finally:
        fresh.close()


def test_another_user_on_the_same_browser_never_gets_the_saved_pages(page, course_site):
    """Signed out without the sign-out button (the session ended): the next person's
    first page drops the previous person's caches."""
    _sign_in(page, course_site)
    page.goto(course_site + MODULE_PATH)
    _save_button(page).click()
    expect(page.locator("[data-offline-save]")).to_have_attribute(
        "data-offline-state", "saved", timeout=20_000
    )
    page.context.clear_cookies()
    sign_in(page, course_site, "trainer@example.com", demo_password())
    page.wait_for_timeout(500)
    names = page.evaluate(CACHE_NAMES_JS)
    mine = page.evaluate("() => document.querySelector('meta[name=lms-user]').content")
    assert all(name.startswith(f"lms-u{mine}-") for name in names if name.startswith("lms-u")), (
        names
    )
