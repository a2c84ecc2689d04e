"""The page cache and view counts on Redis, the shared cache production runs."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms import page_cache, services
from cms.models import ArticleDailyViews
from tests.factories.cms import build_article


def test_hits_come_from_redis_without_queries(redis_cache, indexes):
    article = build_article(indexes["ru"], title="Форум акимов", slug="forum")
    client = Client()
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    page_cache._recent.clear()  # another worker: nothing in its own memory yet
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert "Форум акимов" in response.content.decode()


def test_a_publish_reaches_every_worker(redis_cache, indexes):
    article = build_article(indexes["ru"], title="Форум акимов", slug="forum")
    client = Client()
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    article.title = "Форум акимов: итоги"
    article.save_revision().publish()
    response = client.get(article.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Форум акимов: итоги" in response.content.decode()


def test_view_counts_add_up_in_redis(redis_cache, indexes):
    article = build_article(indexes["ru"], title="Форум", slug="forum")
    agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"
    for _ in range(3):
        Client(HTTP_USER_AGENT=agent).get(article.url)
    assert redis_cache.get(services.VIEW_KEY.format(article.pk)) == 3
    assert services.article_views_fold() == 3
    assert redis_cache.get(services.VIEW_KEY.format(article.pk)) == 0


def test_the_backend_keeps_one_client_per_pool(redis_cache):
    assert redis_cache.redis() is redis_cache.redis()
    redis_cache.set("k", {"v": 1})
    assert redis_cache.get_many(["k", "missing"]) == {"k": {"v": 1}}
    redis_cache.set("n", 1)
    assert redis_cache.incr("n", 4) == 5


def test_a_publish_during_a_redis_outage_shows_once_redis_is_back(
    redis_cache, indexes, monkeypatch
):
    from redis import exceptions as redis_errors

    from lms import cache as lms_cache

    now = [1000.0]
    monkeypatch.setattr(lms_cache, "_clock", lambda: now[0])
    article = build_article(indexes["ru"], title="Форум акимов", slug="forum")
    client = Client()
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    redis_cache.breaker.failed(redis_errors.TimeoutError("Timeout reading from socket"))
    article.title = "Форум акимов: итоги"
    article.save_revision().publish()  # the generation bump cannot reach Redis
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    now[0] += lms_cache.DEFAULT_BREAKER_SECONDS + 1  # Redis answers again
    response = client.get(article.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Форум акимов: итоги" in response.content.decode()


def test_folding_views_survives_redis_going_away_midway(redis_cache, indexes, monkeypatch):
    from redis import exceptions as redis_errors

    article = build_article(indexes["ru"], title="Форум", slug="forum")
    redis_cache.set(services.VIEW_KEY.format(article.pk), 3, None)
    read = redis_cache.get_many

    def read_then_lose_redis(keys, **kwargs):
        found = read(keys, **kwargs)
        redis_cache.breaker.failed(redis_errors.ConnectionError("Connection reset by peer"))
        return found

    monkeypatch.setattr(redis_cache, "get_many", read_then_lose_redis)
    assert services.article_views_fold() == 3
    assert ArticleDailyViews.objects.get(page=article).views == 3
