"""RSS and Atom feeds per language and category; site search in each language."""

import pytest
from defusedxml import ElementTree
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from courses.models import LessonPage
from tests.factories.cms import build_article, build_category
from tests.factories.courses import build_course

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def news(indexes):
    seminars = build_category("ru", "seminars", "Семинары")
    build_article(
        indexes["ru"],
        title="Семинар в Есиле",
        slug="esil",
        category=seminars,
        tags=("обучение",),
        date="2019-07-12",
    )
    build_article(indexes["ru"], title="Форум в Уральске", slug="uralsk", date="2022-04-20")
    build_article(indexes["kk"], title="Орал форумы", slug="oral", date="2022-04-21")
    build_article(indexes["ru"], title="Черновик о бюджете", publish=False)
    return indexes


def _rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    return channel, [item.findtext("title") for item in channel.findall("item")]


def test_rss_lists_the_language_news_newest_first(client, news):
    channel, titles = _rss_items(client, "/ru/news/rss/")
    assert titles == ["Форум в Уральске", "Семинар в Есиле"]
    assert channel.findtext("language") == "ru"
    assert channel.findtext("link") == "http://testserver/ru/news/"
    item = channel.find("item")
    assert item.findtext("link") == "http://testserver/ru/news/uralsk/"
    assert item.findtext("description") == "Короткое изложение новости."
    _channel, kazakh = _rss_items(client, "/kk/news/rss/")
    assert kazakh == ["Орал форумы"]


def test_feeds_link_to_site_url_whatever_the_host_or_the_site_record(client, news, settings):
    from wagtail.models import Site

    Site.objects.update(hostname="localhost", port=80)
    settings.SITE_URL = "https://akim.example.kz"
    response = client.get("/ru/news/rss/", HTTP_HOST="127.0.0.1")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("link") == "https://akim.example.kz/ru/news/"
    assert channel.find("item").findtext("link") == "https://akim.example.kz/ru/news/uralsk/"
    assert channel.find("item").findtext("guid") == "https://akim.example.kz/ru/news/uralsk/"
    atom = ElementTree.fromstring(client.get("/ru/news/atom/", HTTP_HOST="localhost").content)
    links = {link.get("href") for link in atom.iter(f"{ATOM}link")}
    assert {
        "https://akim.example.kz/ru/news/",
        "https://akim.example.kz/ru/news/atom/",
        "https://akim.example.kz/ru/news/uralsk/",
    } <= links
    assert all(link.startswith("https://akim.example.kz/") for link in links), links


def test_atom_is_valid_and_has_the_same_items(client, news):
    response = client.get("/ru/news/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["Форум в Уральске", "Семинар в Есиле"]
    assert feed.find(f"{ATOM}entry/{ATOM}updated") is not None


def test_a_category_feed_lists_only_that_category(client, news):
    channel, titles = _rss_items(client, "/ru/news/category/seminars/rss/")
    assert titles == ["Семинар в Есиле"]
    assert "Семинары" in channel.findtext("title")
    item = channel.find("item")
    assert [c.text for c in item.findall("category")] == ["Семинары", "обучение"]
    assert client.get("/ru/news/category/nothing/rss/").status_code == 404
    feed = ElementTree.fromstring(client.get("/ru/news/category/seminars/atom/").content)
    assert len(feed.findall(f"{ATOM}entry")) == 1


def _search(client, language, query):
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    return response.content.decode()


def test_search_finds_news_and_courses_of_the_language(client, news, home_pages):
    course = build_course(home_pages["ru"], modules=1, lessons=1)
    course.summary = "Курс о сельском бюджете и закупках"
    course.save_revision().publish()
    html = _search(client, "ru", "Уральске")
    assert "Форум в Уральске" in html and "Орал форумы" not in html
    html = _search(client, "ru", "бюджете")
    assert course.title in html
    assert "Черновик о бюджете" not in html  # never drafts
    html = _search(client, "kk", "Орал")
    assert "Орал форумы" in html and "Форум в Уральске" not in html


def test_search_never_lists_lessons(client, news, home_pages):
    course = build_course(home_pages["ru"], modules=1, lessons=2)
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson.title = "Секретный урок про бюджет"
    lesson.save_revision().publish()
    html = _search(client, "ru", "Секретный")
    assert "Секретный урок" not in html


def test_an_empty_or_odd_query_is_harmless(client, news):
    assert "result" not in _search(client, "ru", "")
    html = _search(client, "ru", "<script>alert(1)</script> ' \" OR 1=1 --")
    assert "<script>alert(1)</script>" not in html
    assert client.get("/ru/search/", {"q": "форум", "page": "9"}).status_code == 404
    assert client.get("/ru/search/", {"q": "x" * 5000}).status_code == 200


def test_search_runs_on_postgresql_full_text(postgres, client, news):
    assert connection.vendor == "postgresql"
    html = _search(client, "ru", "Есиле")
    assert "Семинар в Есиле" in html


def test_search_url_is_under_the_language_prefix():
    with translation.override("ru"):  # a request before may have left another active
        assert reverse("search") == "/ru/search/"


HOSTILE_QUERIES = [
    '"',
    "?",
    "---",
    "++",
    "*",
    "()",
    "   ",
    "\t\n",
    "\x00",
    "\x01\x02\x1f\x7f",
    "форум\x00",
    "_",
    "___",
    "OR",
    "NOT AND OR NEAR",
    "форум NOT",
    "NEAR(форум",
    "^форум",
    "форум*",
    "a" * 200,
    "ы" * 5000,
    " ".join(["форум"] * 500),
    "'; DROP TABLE wagtailcore_page; --",
    "é\u0301\u200b\ufeff",
    "\U0001f600",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_a_query_without_words_or_with_operators_answers_200(client, news, query):
    """Issue 14: queries with no letters answered 500; the engine's syntax never leaks."""
    html = _search(client, "ru", query)
    assert "<h1>" in html


def test_a_query_without_letters_or_digits_says_so(client, news):
    html = _search(client, "ru", "---")
    with translation.override("ru"):
        assert gettext("Type a word to search: letters or digits, not only punctuation.") in html
        assert gettext("Nothing was found. Try other words.") not in html
    assert 'value="---"' in html  # the visitor's text stays in the box


def test_control_characters_are_dropped_from_the_query(client, news):
    html = _search(client, "ru", "Уральске\x00\x1b")
    assert "Форум в Уральске" in html
    assert "\x00" not in html and "\x1b" not in html
