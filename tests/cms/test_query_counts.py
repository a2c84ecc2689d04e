"""News pages make the same number of queries with 10 or 1,000 articles and comments."""

import datetime

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from base.text import comment_html
from cms.models import ArticleAuthor, ArticleDailyViews, ArticlePage, Comment, Person
from tests.factories.cms import build_category, build_home_pages, build_image, build_indexes

# The exact numbers are part of the contract: a change that adds a query per article or
# per comment (or any query) makes these fail and must be looked at.
# The Site, the home page in the page's language and the language links come from the
# process (cms.routing, lms.i18n): 3 or 4 fewer than before.
EXPECTED = {"index": 13, "article": 15, "home": 8, "tag": 15, "month": 14, "rss": 10}


class QueryCountsMixin:
    articles = comments = 0

    @classmethod
    def setUpTestData(cls):
        homes = {
            page.locale.language_code: page
            for page in build_home_pages().get_translations(inclusive=True).select_related("locale")
        }
        index = build_indexes(homes)["ru"]
        category = build_category("ru", "seminars", "Семинары")
        image = build_image()
        for number in range(cls.articles):
            article = ArticlePage(
                title=f"Новость {number}",
                slug=f"news-{number}",
                date=datetime.date(2021, 10, 1) + datetime.timedelta(days=number % 28),
                lead="Коротко о новости.",
                body=[("paragraph", "<p>Текст.</p>")],
                category=category,
                cover_image=image,
            )
            article.tags.add("бюджет", f"тег-{number % 7}")
            index.add_child(instance=article)
        cls.article = ArticlePage.objects.child_of(index).order_by("-date", "-pk").first()
        author = Person.objects.create(
            locale=index.locale, name="Айгерим Жумабаева", role="пресс-секретарь", photo=image
        )
        cls.article.article_authors = [ArticleAuthor(person=author)]
        cls.article.save()
        top = Comment.objects.create(
            article=cls.article,
            name="Первый",
            email="a@example.com",
            body="Вопрос",
            status=Comment.Status.APPROVED,
        )
        Comment.objects.bulk_create(
            Comment(
                article=cls.article,
                parent=top if number % 2 else None,
                name=f"Читатель {number}",
                email=f"r{number}@example.com",
                body=f"Комментарий {number} https://example.org",
                body_html=comment_html(f"Комментарий {number} https://example.org"),
                status=Comment.Status.APPROVED,
            )
            for number in range(cls.comments)
        )
        ArticleDailyViews.objects.bulk_create(
            ArticleDailyViews(page=page, day=datetime.date.today(), views=page.pk)
            for page in ArticlePage.objects.all()
        )

    def assertQueries(self, url: str, expected: int) -> None:
        self.client.get(url)  # warm caches (site root paths, renditions, menu)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        statements = "\n".join(query["sql"][:200] for query in queries)
        self.assertEqual(len(queries), expected, f"{url}:\n{statements}")

    def test_news_index(self):
        self.assertQueries("/ru/news/", EXPECTED["index"])

    def test_article(self):
        self.assertQueries(self.article.url, EXPECTED["article"])

    def test_home(self):
        self.assertQueries("/ru/", EXPECTED["home"])

    def test_tag(self):
        self.assertQueries("/ru/news/tag/бюджет/", EXPECTED["tag"])

    def test_month(self):
        self.assertQueries("/ru/news/2021/10/", EXPECTED["month"])

    def test_rss(self):
        self.assertQueries("/ru/news/rss/", EXPECTED["rss"])


@override_settings(PAGE_CACHE_ENABLED=False)  # the rendering itself, not the cache
class TestFewArticles(QueryCountsMixin, TestCase):
    articles, comments = 10, 10


@override_settings(PAGE_CACHE_ENABLED=False)
class TestManyArticles(QueryCountsMixin, TestCase):
    articles, comments = 1000, 1000
