"""The language middleware asks the path's language once per first segment, and
answers as Django's own does."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.translation import get_language_from_path

from lms import middleware
from lms.middleware import LocaleMiddleware, language_from_path

PATHS = ["/ru/", "/kk/courses/x/", "/en", "/admin/pages/", "/", "", "/v/ABCD/", "/bench/ping/"]


@pytest.mark.parametrize("path", PATHS)
def test_the_kept_answer_is_djangos(path):
    assert language_from_path(path) == get_language_from_path(path)


def test_a_segment_is_looked_up_once(monkeypatch):
    asked = []

    def counting(path):
        asked.append(path)
        return get_language_from_path(path)

    monkeypatch.setattr(middleware, "get_language_from_path", counting)
    middleware._language_of_first_segment.cache_clear()
    respond = LocaleMiddleware(lambda request: HttpResponse("ok"))
    for _ in range(3):
        respond(RequestFactory().get("/healthz/"))
        respond(RequestFactory().get("/ru/news/"))
    assert sorted(asked) == ["/healthz/", "/ru/"]
    middleware._language_of_first_segment.cache_clear()


def test_changed_languages_are_seen(settings):
    assert language_from_path("/de/") is None
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    assert language_from_path("/de/") == "de"


def test_a_page_under_a_prefix_answers_in_its_language():
    response = LocaleMiddleware(lambda request: HttpResponse("ok"))(
        RequestFactory().get("/kk/news/")
    )
    assert response["Content-Language"] == "kk"
    assert "Accept-Language" not in response.get("Vary", "")
    assert response.cookies["django_language"].value == "kk"


@pytest.mark.django_db
def test_a_missing_page_without_a_prefix_still_redirects(client):
    response = client.get("/news/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/news/"
