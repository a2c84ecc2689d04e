"""Counting reads for "popular": in the cache per request, into the database periodically."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms import selectors, services, tasks
from cms.models import ArticleDailyViews
from tests.factories import UserFactory
from tests.factories.cms import build_article

BROWSER = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"


@pytest.fixture
def articles(indexes):
    return [
        build_article(indexes["ru"], title=f"Новость {number}", slug=f"news-{number}")
        for number in range(3)
    ]


def _read(url, times=1, agent=BROWSER, method="get"):
    for _ in range(times):
        getattr(Client(HTTP_USER_AGENT=agent), method)(url)


def test_reading_writes_nothing_to_the_database(articles):
    url = articles[0].url
    _read(url)  # fills the page cache
    with CaptureQueriesContext(connection) as queries:
        _read(url, times=5)
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        _read(f"{url}?from=share", times=3)  # not from the page cache: rendered, still no write
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []
    assert cache.get(services.VIEW_KEY.format(articles[0].pk)) == 9


def test_signed_in_readers_count_too(client, articles):
    client.force_login(UserFactory())
    client.get(articles[1].url, HTTP_USER_AGENT=BROWSER)
    assert cache.get(services.VIEW_KEY.format(articles[1].pk)) == 1


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; YandexBot/3.0)",
        "facebookexternalhit/1.1",
        "curl/8.0",
        "python-requests/2.31",
    ],
)
def test_bots_are_not_counted(articles, agent):
    _read(articles[0].url, times=2, agent=agent)
    assert not cache.get(services.VIEW_KEY.format(articles[0].pk))


def test_head_requests_are_not_counted(articles):
    _read(articles[0].url, times=2, method="head")
    assert not cache.get(services.VIEW_KEY.format(articles[0].pk))


def test_folding_moves_counts_into_the_day_and_keeps_new_ones(articles):
    _read(articles[0].url, times=3)
    _read(articles[1].url, times=1)
    today = datetime.date(2026, 11, 30)
    assert services.article_views_fold(today=today) == 4
    assert dict(ArticleDailyViews.objects.values_list("page_id", "views")) == {
        articles[0].pk: 3,
        articles[1].pk: 1,
    }
    assert not cache.get(services.VIEW_KEY.format(articles[0].pk))
    _read(articles[0].url, times=2)
    assert services.article_views_fold(today=today) == 2
    assert ArticleDailyViews.objects.get(page=articles[0]).views == 5
    assert services.article_views_fold(today=today) == 0


def test_the_task_and_the_command_fold(articles, capsys):
    _read(articles[2].url, times=2)
    assert tasks.fold_article_views.call() == 2
    _read(articles[2].url)
    call_command("fold_article_views")
    assert "folded 1 views" in capsys.readouterr().out
    assert ArticleDailyViews.objects.get(page=articles[2]).views == 3


def test_popular_lists_the_most_read_of_the_last_thirty_days(articles, indexes):
    today = datetime.date(2026, 11, 30)
    views = {0: [(today, 5)], 1: [(today, 9)], 2: [(today - datetime.timedelta(days=45), 50)]}
    for number, days in views.items():
        for day, count in days:
            ArticleDailyViews.objects.create(page=articles[number], day=day, views=count)
    popular = selectors.popular_articles(locale_id=indexes["ru"].locale_id, today=today)
    assert [article.title for article in popular] == ["Новость 1", "Новость 0"]
    kazakh = selectors.popular_articles(locale_id=indexes["kk"].locale_id, today=today)
    assert kazakh == []


def test_the_index_shows_popular_articles(client, articles):
    ArticleDailyViews.objects.create(page=articles[2], day=datetime.date.today(), views=7)
    html = client.get("/ru/news/").content.decode()
    popular = html.split('id="popular-heading"')[1].split("</section>")[0]
    assert "Новость 2" in popular and "Новость 0" not in popular


def test_views_gather_in_the_process_until_they_are_due(articles, settings):
    settings.ARTICLE_VIEWS_FLUSH_SECONDS = 3600
    services._views.flush()
    _read(articles[0].url, times=4)
    assert not cache.get(services.VIEW_KEY.format(articles[0].pk))  # not yet sent
    assert services.article_views_fold() == 4  # folding sends this process's first
