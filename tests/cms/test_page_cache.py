"""The page cache: anonymous visitors get stored pages, fresh after every change."""

import re
import time

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from cms import services
from cms.models import Comment
from lms.page_generation import current_generation
from tests.factories import UserFactory
from tests.factories.cms import build_article, build_comment, build_image


@pytest.fixture
def article(indexes):
    return build_article(indexes["ru"], title="Форум акимов", slug="forum")


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304), url
    return response


@pytest.mark.parametrize("url", ["/ru/", "/ru/news/", "/ru/news/forum/", "/ru/news/rss/"])
def test_a_second_anonymous_request_is_a_hit_without_queries(client, article, url):
    assert _get(client, url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert "Форум акимов" in response.content.decode()


def test_hits_keep_the_security_headers(client, article):
    miss = _get(client, "/ru/news/forum/")
    hit = _get(Client(), "/ru/news/forum/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language"):
        assert hit[header] == miss[header], header


def test_publishing_shows_on_the_next_request(client, article, indexes):
    _get(client, "/ru/news/")
    build_article(indexes["ru"], title="Свежая новость", slug="fresh")
    response = _get(client, "/ru/news/")
    assert response["X-Page-Cache"] == "miss"
    assert "Свежая новость" in response.content.decode()
    assert "Свежая новость" in _get(client, "/ru/").content.decode()


def test_unpublishing_and_editing_show_on_the_next_request(client, article):
    assert "Форум акимов" in _get(client, "/ru/news/").content.decode()
    article.title = "Форум акимов (обновлено)"
    article.save_revision().publish()
    assert "Форум акимов (обновлено)" in _get(client, "/ru/news/forum/").content.decode()
    article.unpublish()
    assert "Форум акимов" not in _get(client, "/ru/news/").content.decode()
    assert client.get("/ru/news/forum/").status_code == 404


def test_an_approved_comment_shows_on_the_next_request(client, article):
    comment = build_comment(article, status=Comment.Status.PENDING, body="Спасибо за новость")
    assert "Спасибо за новость" not in _get(client, "/ru/news/forum/").content.decode()
    services.comment_moderate(comments=[comment], status="approved", moderator=None)
    response = _get(client, "/ru/news/forum/")
    assert response["X-Page-Cache"] == "miss"
    assert "Спасибо за новость" in response.content.decode()


def test_an_image_or_document_edited_starts_a_new_generation(db):
    # stored pages and rendered lesson bodies show renditions and documents' titles
    image = build_image()
    before = current_generation()
    image.title = "Новое название"
    image.save()
    after_image = current_generation()
    get_document_model().objects.create(title="Положение", file=ContentFile(b"x", "p.txt"))
    assert before != after_image != current_generation()


def test_signed_in_people_never_get_a_stored_page(client, article):
    _get(Client(), "/ru/news/forum/")  # stored for anonymous visitors
    person = UserFactory(full_name="Ерлан Болатұлы Сейітов")
    client.force_login(person)
    response = _get(client, "/ru/news/forum/")
    assert "X-Page-Cache" not in response
    assert "Ерлан Болатұлы Сейітов" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_other_query_strings_are_not_stored(client, article):
    _get(client, "/ru/news/?utm_source=x")
    response = _get(client, "/ru/news/?utm_source=x")
    assert "X-Page-Cache" not in response


def test_each_visitor_gets_their_own_csrf_token_and_can_post(article):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for visitor in (first, second):
        html = _get(visitor, "/ru/news/forum/").content.decode()
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
        assert "pagecache:" not in html
    assert tokens[0] != tokens[1]
    for number, (visitor, token) in enumerate(zip((first, second), tokens, strict=True)):
        html = _get(visitor, "/ru/news/forum/").content.decode()
        started = re.search(r'name="started" value="([^"]+)"', html).group(1)
        with time_machine.travel(time.time() + 30):
            response = visitor.post(
                article.comments_url(),
                {
                    "csrfmiddlewaretoken": token,
                    "started": started,
                    "name": f"Читатель {number}",
                    "email": f"r{number}@example.com",
                    "body": "Вопрос",
                },
            )
        assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_a_message_after_posting_is_not_hidden_by_the_cache(client, article):
    _get(client, "/ru/news/forum/")
    html = client.get("/ru/news/forum/").content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.update(name="Марат", email="m@example.com", body="Вопрос")
    with time_machine.travel(time.time() + 30):
        client.post(article.comments_url(), fields)
    response = client.get("/ru/news/forum/")
    assert "X-Page-Cache" not in response  # the visitor has a message waiting
    assert "moderation" in response.content.decode() or "модерац" in response.content.decode()


def test_conditional_requests_get_304(client, article):
    first = _get(client, "/ru/news/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    response = client.get("/ru/news/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert _get(client, "/ru/news/")["Last-Modified"] == modified


def test_cache_control_of_public_and_per_visitor_pages(client, article, indexes):
    index = _get(client, "/ru/news/")
    assert "public" in index["Cache-Control"] and "max-age=60" in index["Cache-Control"]
    assert "s-maxage=600" in index["Cache-Control"]
    # An article with its comment form carries this visitor's CSRF token.
    page = _get(client, "/ru/news/forum/")
    assert "private" in page["Cache-Control"] and "no-cache" in page["Cache-Control"]
    closed = build_article(indexes["ru"], title="Без комментариев", comments_open=False)
    assert "public" in _get(client, closed.url)["Cache-Control"]
    for response in (index, page):
        assert "Cookie" in response["Vary"]


def test_a_proxy_is_told_to_purge_the_lists_showing_a_published_article(article, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.cms.purge_recorder.PurgeRecorder", "LOCATION": "x"}
    }
    from tests.cms.purge_recorder import PurgeRecorder

    PurgeRecorder.purged.clear()
    article.title = "Новое название"
    article.save_revision().publish()
    purged = set(PurgeRecorder.purged)
    base = "http://testserver/ru/news/"
    assert {base, f"{base}rss/", f"{base}atom/", f"{base}forum/", "http://testserver/ru/"} <= purged
    assert {f"{base}2021/", f"{base}2021/10/"} <= purged


def test_a_change_made_by_another_process_is_seen(client, article):
    from django.core.cache import cache

    from cms.page_cache import GENERATION_KEY

    _get(client, "/ru/news/forum/")
    assert _get(client, "/ru/news/forum/")["X-Page-Cache"] == "hit"
    cache.incr(GENERATION_KEY)  # what invalidate() does in another worker
    assert _get(client, "/ru/news/forum/")["X-Page-Cache"] == "miss"


def test_off_unless_enabled(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    _get(client, "/ru/news/")
    assert "X-Page-Cache" not in _get(client, "/ru/news/")
