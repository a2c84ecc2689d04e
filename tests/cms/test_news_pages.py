"""News pages: tree rules, rendering in three languages, archives, tags, categories, meta."""

import json
import re
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import ArticleIndexPage, ArticlePage, HomePage
from tests.factories.cms import (
    build_article,
    build_category,
    build_comment,
    build_image,
    build_indexes,
    translate_article,
)


class TestNewsTree(WagtailPageTestCase):
    def test_index_sits_under_a_home_page_and_holds_articles(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [("ru", "Новости"), ("kk", "Жаңалықтар"), ("en", "News")],
)
def test_index_and_article_render_in_each_language(client, indexes, language, title):
    article = build_article(indexes[language], title=f"Статья {language}", slug="story")
    html = _html(client, f"/{language}/news/")
    assert f'<html lang="{language}">' in html
    assert f'<h1 id="news-heading">{title}</h1>' in html
    assert f'href="/{language}/news/story/"' in html
    html = _html(client, article.url)
    assert f"<h1>Статья {language}</h1>" in html


def test_an_article_in_one_language_is_listed_only_there(client, indexes):
    build_article(indexes["kk"], title="Тек қазақша жаңалық", slug="only-kk")
    assert "Тек қазақша жаңалық" in _html(client, "/kk/news/")
    assert "Тек қазақша жаңалық" not in _html(client, "/ru/news/")
    assert "Тек қазақша жаңалық" not in _html(client, "/en/news/")
    _html(client, "/ru/news/only-kk/", status=404)


def test_an_article_links_its_translations(client, indexes):
    article = build_article(indexes["ru"], title="Форум акимов", slug="forum")
    translate_article(article, "kk", title="Әкімдер форумы")
    html = _html(client, "/ru/news/forum/")
    assert 'href="/kk/news/forum/" hreflang="kk" lang="kk"' in html  # "also in" and switcher
    assert '<link rel="alternate" hreflang="kk" href="http://testserver/kk/news/forum/">' in html
    assert '<link rel="alternate" hreflang="ru" href="http://testserver/ru/news/forum/">' in html
    # No English copy: no hreflang for English (the switcher offers the English home).
    assert 'hreflang="en" href="http://testserver' not in html
    assert '<link rel="canonical" href="http://testserver/ru/news/forum/">' in html


def test_articles_are_listed_newest_first_ten_to_a_page(client, indexes):
    for day in range(1, 13):
        build_article(indexes["ru"], title=f"Новость {day:02d}", date=f"2021-10-{day:02d}")
    html = _html(client, "/ru/news/")
    titles = re.findall(r">Новость (\d\d)</a>", html)
    assert titles == [f"{day:02d}" for day in range(12, 2, -1)]
    html = _html(client, "/ru/news/?page=2")
    assert re.findall(r">Новость (\d\d)</a>", html) == ["02", "01"]
    assert '<link rel="canonical" href="http://testserver/ru/news/?page=2">' in html
    _html(client, "/ru/news/?page=3", status=404)
    _html(client, "/ru/news/?page=abc", status=404)


def test_drafts_are_never_listed(client, indexes):
    build_article(indexes["ru"], title="Черновик", publish=False)
    assert "Черновик" not in _html(client, "/ru/news/")


def test_archive_by_year_and_month(client, indexes):
    build_article(indexes["ru"], title="Октябрьская", date="2021-10-04")
    build_article(indexes["ru"], title="Июльская", date="2021-07-25")
    build_article(indexes["ru"], title="Прошлогодняя", date="2020-09-01")
    html = _html(client, "/ru/news/2021/")
    assert "Октябрьская" in html and "Июльская" in html and "Прошлогодняя" not in html
    html = _html(client, "/ru/news/2021/10/")
    assert "Октябрьская" in html and "Июльская" not in html
    # The archive list links the months that have news.
    assert 'href="/ru/news/2021/10/"' in _html(client, "/ru/news/")


@pytest.mark.parametrize(
    "path",
    [
        "/ru/news/2021/13/",
        "/ru/news/2021/0/",
        "/ru/news/2021/11/",  # a valid month without news
        "/ru/news/1850/",
        "/ru/news/99999/",
        "/ru/news/2019/",
        "/ru/news/2021/10/32/",
        "/ru/news/tag/nothing/",
        "/ru/news/category/nothing/",
    ],
)
def test_archives_that_do_not_exist_are_404(client, indexes, path):
    build_article(indexes["ru"], title="Октябрьская", date="2021-10-04")
    _html(client, path, status=404)


def test_tag_and_category_pages(client, indexes):
    seminars = build_category("ru", "seminars", "Семинары")
    build_article(indexes["ru"], title="Про бюджет", tags=("бюджет",), category=seminars)
    build_article(indexes["ru"], title="Про закупки", tags=("закупки",))
    html = _html(client, "/ru/news/tag/бюджет/")
    assert "#бюджет" in html and "Про бюджет" in html and "Про закупки" not in html
    html = _html(client, "/ru/news/category/seminars/")
    assert "Семинары" in html and "Про бюджет" in html and "Про закупки" not in html
    # A Russian category is not the Kazakh index's category.
    _html(client, "/kk/news/category/seminars/", status=404)


def test_article_shows_its_classification_and_reads_also(client, indexes):
    seminars = build_category("ru", "seminars", "Семинары")
    article = build_article(
        indexes["ru"], title="Главная", slug="main", tags=("бюджет",), date="2021-10-05"
    )
    build_article(indexes["ru"], title="Тот же тег", tags=("бюджет",), date="2021-10-01")
    build_article(indexes["ru"], title="Та же рубрика", category=seminars, date="2021-10-02")
    build_article(indexes["ru"], title="Ничего общего", tags=("другое",))
    build_article(indexes["kk"], title="Қазақша, сол тег", tags=("бюджет",))
    article.category = seminars
    article.save_revision().publish()
    html = _html(client, "/ru/news/main/")
    read_also = html.split('id="read-also-heading"')[1].split("</section>")[0]
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', read_also) == ["Та же рубрика", "Тот же тег"]
    assert f'href="/ru/news/tag/{quote("бюджет")}/" rel="tag">#бюджет</a>' in html
    assert 'href="/ru/news/category/seminars/">Семинары</a>' in html


def test_open_graph_schema_org_and_feed_links(client, indexes):
    article = build_article(
        indexes["ru"],
        title='Акимы </script><script>alert("x")</script>',
        slug="og",
        cover_image=build_image(),
        lead="Суть новости.",
    )
    html = _html(client, article.url)
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="http://testserver/ru/news/og/">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/[^"]+\.jpg">', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(script.group(1))  # the title's "</script>" did not end it early
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Акимы </script>")
    assert data["datePublished"] == "2021-10-04"
    assert data["inLanguage"] == "ru"
    assert "<script>alert" not in html
    index_html = _html(client, "/ru/news/")
    assert 'type="application/rss+xml"' in index_html and 'href="/ru/news/rss/"' in index_html


def test_comments_are_threaded_one_level_deep(client, indexes):
    article = build_article(indexes["ru"], title="С комментариями", slug="talk")
    first = build_comment(article, name="Первый", body="Вопрос про бюджет")
    build_comment(article, name="Ответ", body="Ответ на вопрос", parent=first)
    build_comment(article, name="Ждёт", body="Ещё не одобрен", status="pending")
    html = _html(client, "/ru/news/talk/")
    assert "Вопрос про бюджет" in html and "Ответ на вопрос" in html
    assert "Ещё не одобрен" not in html
    replies = html.split('class="comment__replies"')[1].split("</div>\n")[0]
    assert "Ответ на вопрос" in replies
    assert "(2)" in html  # two shown


def test_reserved_slugs_are_refused(indexes):
    article = ArticlePage(title="Тег", slug="tag", lead="x", body=[])
    with pytest.raises(ValidationError):
        indexes["ru"].add_child(instance=article)
    with pytest.raises(ValidationError):
        indexes["ru"].add_child(instance=ArticlePage(title="2021", slug="2021", lead="x", body=[]))


def test_home_page_shows_latest_news_courses_and_a_certificate_check(client, home_pages):
    indexes = build_indexes(home_pages)
    for day in range(1, 6):
        build_article(indexes["ru"], title=f"Новость {day}", date=f"2021-10-0{day}")
    html = _html(client, "/ru/")
    news = html.split('id="latest-news-heading"')[1].split("</section>")[0]
    assert re.findall(r">Новость (\d)</a>", news) == ["5", "4", "3"]
    assert 'action="/ru/certificates/check/"' in html and 'name="number"' in html
    assert 'href="/ru/news/">' in html  # in the menu and "all news"


def test_home_page_lists_the_course_catalogue(client, home_pages):
    from tests.factories.courses import build_course

    build_course(home_pages["ru"], modules=1, lessons=1)
    html = _html(client, "/ru/")
    courses = html.split('id="courses-heading"')[1].split("</section>")[0]
    assert "academic hour" in courses or "академическ" in courses


def test_menu_links_each_language_news(client, indexes):
    assert '<li><a href="/kk/news/">' in _html(client, "/kk/")
    assert '<li><a href="/en/news/">' in _html(client, "/en/")


def test_kazakh_dates_are_formatted_the_kazakh_way(client, indexes):
    build_article(indexes["kk"], title="Қазан жаңалығы", slug="kazan", date="2021-10-04")
    html = _html(client, "/kk/news/kazan/")
    assert ">4 қазан 2021 ж.</time>" in html  # month in lower case, as Kazakh writes it


def test_index_pages_are_in_the_sitemap_with_translations(client, indexes):
    article = build_article(indexes["ru"], title="Форум", slug="forum")
    translate_article(article, "en", title="Forum")
    xml = _html(client, "/sitemap.xml")
    # The sitemap names pages by the site's public address (SITE_URL).
    assert "<loc>http://testserver/ru/news/forum/</loc>" in xml
    assert (
        '<xhtml:link rel="alternate" hreflang="en" href="http://testserver/en/news/forum/"/>' in xml
    )
    assert Page.objects.filter(url_path__endswith="/news/forum/").count() == 2


def test_the_sitemap_and_robots_txt_name_site_url_whatever_the_host(client, indexes, settings):
    """Neither the request's host nor the Site record (localhost until bootstrap_site
    has run) decides the addresses in the sitemap or robots.txt."""
    from wagtail.models import Site

    build_article(indexes["ru"], title="Форум", slug="forum")
    Site.objects.update(hostname="localhost", port=80)
    settings.SITE_URL = "https://akim.example.kz"
    xml = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml) + re.findall(r'href="([^"]+)"', xml)
    assert "https://akim.example.kz/ru/news/forum/" in locations
    assert all(url.startswith("https://akim.example.kz/") for url in locations), locations
    robots = client.get("/robots.txt", HTTP_HOST="localhost").content.decode()
    assert "Sitemap: https://akim.example.kz/sitemap.xml" in robots.splitlines()


def test_canonical_and_alternate_links_are_on_site_url(client, indexes, settings):
    article = build_article(indexes["ru"], title="Форум", slug="forum")
    translate_article(article, "en", title="Forum")
    settings.SITE_URL = "https://akim.example.kz"
    html = client.get("/ru/news/forum/", HTTP_HOST="localhost").content.decode()
    assert '<link rel="canonical" href="https://akim.example.kz/ru/news/forum/">' in html
    assert 'hreflang="en" href="https://akim.example.kz/en/news/forum/"' in html
    assert "localhost" not in html


def test_wagtail_localize_translates_an_article_with_its_category(
    client, indexes, django_capture_on_commit_callbacks
):
    """Translators work through wagtail-localize: the copy keeps the date, takes the
    Kazakh category, and is listed in the Kazakh news."""
    from wagtail.models import Locale
    from wagtail_localize.models import StringTranslation, TranslationSource

    ru_seminars = build_category("ru", "seminars", "Семинары")
    kk_seminars = ru_seminars.copy_for_translation(Locale.objects.get(language_code="kk"))
    kk_seminars.name = "Семинарлар"
    kk_seminars.save()
    article = build_article(
        indexes["ru"],
        title="Семинар в Есиле",
        slug="esil",
        category=ru_seminars,
        date="2019-07-12",
        lead="Сорок пять акимов.",
    )
    source, _created = TranslationSource.get_or_create_from_instance(article)
    kazakh = Locale.objects.get(language_code="kk")
    for segment in source.stringsegment_set.select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=kazakh,
            context=segment.context,
            data=f"kk: {segment.string.data}",
        )
    with django_capture_on_commit_callbacks(execute=True):  # it publishes on commit
        translated, _created = source.create_or_update_translation(kazakh)
    translated = ArticlePage.objects.get(pk=translated.pk)
    assert translated.locale == kazakh and translated.live
    assert translated.title == "kk: Семинар в Есиле"
    assert translated.date.isoformat() == "2019-07-12"
    assert translated.category == kk_seminars
    html = _html(client, "/kk/news/")
    assert "kk: Семинар в Есиле" in html
    assert 'href="/ru/news/esil/" hreflang="ru"' in _html(client, translated.url)


def test_authors_are_shown_with_role_and_photo(client, indexes):
    from wagtail.models import Locale

    from cms.models import ArticleAuthor, Person

    person = Person.objects.create(
        locale=Locale.objects.get(language_code="ru"),
        name="Айгерим Жумабаева",
        role="пресс-секретарь",
        photo=build_image("author"),
    )
    article = build_article(
        indexes["ru"],
        title="С автором",
        slug="byline",
        article_authors=[ArticleAuthor(person=person)],
    )
    html = _html(client, article.url)
    byline = html.split('class="byline"')[1].split("</span>")[0]
    assert "Айгерим Жумабаева, пресс-секретарь" in byline
    assert re.search(r'<img[^>]+class="byline__photo"[^>]+src="[^"]+\.webp"', byline)
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["author"] == [{"@type": "Person", "name": "Айгерим Жумабаева"}]


def test_the_publisher_is_named_in_the_pages_language(client, indexes, settings):
    article = build_article(indexes["ru"], title="Форум акимов", slug="forum")
    pages = {"ru": article}
    pages.update({code: translate_article(article, code) for code in ("kk", "en")})
    for language, page in pages.items():
        html = _html(client, page.url)
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        publisher = json.loads(script.group(1))["publisher"]
        assert publisher == {
            "@type": "Organization",
            "name": settings.CERTIFICATE_ISSUER_NAMES[language],
        }
