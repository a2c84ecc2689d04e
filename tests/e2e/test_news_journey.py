"""The public news: a reader opens a story, switches to its Kazakh version, leaves a
comment; a moderator approves it in the admin; the reader sees it after a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from tests.e2e.browser_helpers import (
    axe_violations,
    check_layout,
    describe,
    gettext_in,
    page_weight,
    screenshot,
    watch_problems,
)

MODERATOR_EMAIL = "methodologist@example.com"
ARTICLE_BUDGET = 100_000  # bytes on the wire, first view, images aside
COMMENT = "Бізде интернет баяу, бірақ курс телефонда жақсы ашылады. Рақмет!"


@pytest.fixture
def news_site(demo_site):
    """The demo site with the demo news in it."""
    from django.core.cache import cache

    from cms.models import HomePage
    from demo.news import seed_news

    seed_news(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    cache.clear()
    return demo_site


def _write_comment(page, language: str, name: str, text: str) -> None:
    page.get_by_label(gettext_in(language, "Your name")).fill(name)
    page.get_by_label(gettext_in(language, "E-mail")).fill("reader@example.kz")
    page.get_by_label(gettext_in(language, "Comment"), exact=True).fill(text)
    page.wait_for_timeout(3200)  # people take a while to write; bots that post at once are dropped
    page.get_by_role("button", name=gettext_in(language, "Send comment")).click()


def test_reader_comments_in_kazakh_and_a_moderator_approves(page, browser, news_site):
    problems = watch_problems(page)
    page.goto(news_site + "/")
    expect(page).to_have_url(news_site + "/ru/")
    latest = page.get_by_role("region", name=gettext_in("ru", "Latest news"))
    latest.get_by_role("link").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    title_ru = page.get_by_role("heading", level=1).inner_text()
    assert not (found := axe_violations(page)), describe(found)

    page.get_by_role("navigation", name=gettext_in("ru", "Language")).get_by_role(
        "link", name="Қазақша"
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert "/kk/news/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() != title_ru
    article_url = page.url

    _write_comment(page, "kk", "Гүлнар", COMMENT)
    expect(page.get_by_role("status")).to_contain_text(
        gettext_in(
            "kk",
            "Thank you. Your comment is awaiting moderation and will appear once approved.",
        )
    )
    expect(page.get_by_text(COMMENT)).to_have_count(0)
    assert not (found := axe_violations(page)), describe(found)

    moderator = browser.new_context().new_page()
    moderator.goto(news_site + "/admin/login/")
    moderator.locator("input[name=username]").fill(MODERATOR_EMAIL)
    moderator.locator("input[name=password]").fill(demo_password())
    moderator.locator("form button[type=submit]").first.click()
    moderator.goto(news_site + "/admin/snippets/cms/comment/?status=pending")
    moderator.get_by_role("link", name="Гүлнар").click()
    moderator.locator("input[name=status][value=approved]").check()
    moderator.locator("button[type=submit]", has_text="Save").first.click()
    expect(moderator.locator(".messages")).to_be_visible()

    page.goto(article_url)
    expect(page.get_by_text(COMMENT)).to_be_visible()
    # The test server does not serve uploaded media (a proxy does in production).
    assert [p for p in problems if "/media/" not in p] == [], problems
    screenshot(page, "news-article-kk")


def test_commenting_works_without_javascript(browser, browser_context_args, news_site):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(news_site + "/ru/news/akmola-programme-opens/")
    _write_comment(page, "ru", "Марат", "Без JavaScript тоже можно оставить отзыв.")
    expect(page.get_by_role("status")).to_contain_text(
        gettext_in(
            "ru",
            "Thank you. Your comment is awaiting moderation and will appear once approved.",
        )
    )
    from cms.models import Comment

    assert Comment.objects.filter(name="Марат", status="pending").exists()
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/ru/news/",
        "/kk/news/",
        "/ru/news/2021/10/",
        "/ru/news/akmola-programme-opens/",
        "/kk/news/akmola-programme-opens/",
        "/en/news/west-kazakhstan-akims-forum/",
        "/ru/search/?q=бюджет",
        "/ru/news/akmola-programme-opens/comments/1/reply/",
    ],
)
def test_news_pages_pass_axe_and_the_layout_checks(page, news_site, path):
    page.goto(news_site + path)
    assert not (found := axe_violations(page)), describe(found)
    name = "news" + re.sub(r"[^\w]+", "-", path.split("?")[0]).rstrip("-")
    assert not (found := check_layout(page, name)), "\n".join(found)


def test_article_first_view_is_light(page, news_site):
    wire, _decoded, requests = page_weight(page, news_site + "/ru/news/akmola-programme-opens/")
    images = sum(
        request.sizes()["responseHeadersSize"] + request.sizes()["responseBodySize"]
        for request in requests
        if request.resource_type == "image"
    )
    assert wire - images <= ARTICLE_BUDGET, (wire, images)
    # one small script, deferred: it registers the service worker (offline use)
    scripts = [r.url for r in requests if r.resource_type == "script"]
    assert [url.removeprefix(news_site) for url in scripts] == ["/static/js/offline.js"]
    # The cover and body pictures are renditions, the cover in WebP with a srcset.
    cover = page.locator(".article__cover img")
    assert (
        ".webp" in (cover.get_attribute("srcset") or "")
        or page.locator(".article__cover source[type='image/webp']").count()
    )
