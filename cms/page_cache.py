"""A server-side cache of public pages for anonymous visitors, shared through the cache.

When a story is shared, thousands of people without an account open the same few
pages. Those requests are answered from the shared cache (Redis when ``REDIS_URL`` is
set) without a database query: no site lookup, no routing, no template.

* **Who is served from it.** ``GET``/``HEAD`` under a language prefix, from visitors
  with no session and no pending messages (so nobody signed in ever gets a page made
  for somebody else), with no query string but ``?page=N``.
* **What is stored.** Only responses a page marks with :func:`cacheable` (the home,
  news index, archive, tag, category and feed pages, articles, standard pages).
* **Holes.** A stored page has holes where per-visitor values go: the CSRF field of
  the comment form and the signed time the form was served. They are filled on every
  response, hit or miss, so each visitor gets their own token.
* **Invalidation.** Entries carry a generation number; :func:`invalidate` (called on
  publish, unpublish, move and delete of a page, on snippet edits and on a newly
  approved comment) bumps it, so the next request renders afresh. Entries also expire
  after ``PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import rotate_token
from django.utils.http import http_date, parse_etags

from base.page_cache import mark_cacheable

# The generation lives in lms so that every layer may key its memos on it; these names
# stay here for the callers that invalidate the page cache.
from lms.page_generation import (  # noqa: F401
    GENERATION_KEY,
    current_generation,
    invalidate,
    request_generation,
)
from lms.page_generation import bump as _bump  # noqa: F401

CSRF_HOLE = b"<!--pagecache:csrf-->"
STARTED_HOLE = b"<!--pagecache:started-->"
STARTED_SALT = "cms.comment-form-started"
# Headers of the first response that are replayed on a hit. Set-Cookie never is:
# cookies belong to the visitor of the moment (the CSRF middleware sets theirs).
REPLAYED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "Vary",
    "X-Frame-Options",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def _languages() -> tuple[str, ...]:
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def eligible(request: HttpRequest) -> bool:
    """Whether this request may be answered from, and stored in, the page cache."""
    if not settings.PAGE_CACHE_ENABLED:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if not request.path_info.startswith(_languages()):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    query = request.GET
    if not query:
        return True
    # Only the page number: any other query string would let a crawler fill the cache.
    return list(query) == ["page"] and len(query.getlist("page")) == 1 and query["page"].isdigit()


def _key(request: HttpRequest) -> str:
    digest = hashlib.sha256(
        f"{request.get_host()}|{request.path_info}|{request.GET.urlencode()}".encode()
    ).hexdigest()
    return f"pagecache:page:{digest}"


def cacheable(
    request: HttpRequest, response: HttpResponse, *, public: bool, article_id: int | None = None
) -> HttpResponse:
    """Mark a page's response as one the page cache may keep, with its Cache-Control
    (:func:`base.page_cache.mark_cacheable`).

    ``article_id`` counts a view of that article on every response, hit or miss.
    """
    if article_id is not None and not getattr(request, "page_cache_eligible", False):
        _count_view(request, article_id)
    return mark_cacheable(request, response, public=public, article_id=article_id)


def _fill(request: HttpRequest, content: bytes) -> bytes:
    # Both values are letters, digits and ``:-_`` only: nothing to escape.
    if CSRF_HOLE in content:
        field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_csrf_secret(request)}">'
        content = content.replace(CSRF_HOLE, field.encode())
    if STARTED_HOLE in content:
        field = f'<input type="hidden" name="started" value="{form_started_token()}">'
        content = content.replace(STARTED_HOLE, field.encode())
    return content


def _csrf_secret(request: HttpRequest) -> str:
    """The visitor's CSRF secret, made (and sent as their cookie) if they have none.

    Django masks the token it puts in a page so that a compressed response mixing it
    with text an attacker controls does not leak it (BREACH). A stored page is the
    same for everyone but this field, so there is nothing to mix it with, and the
    unmasked secret (which Django accepts) saves drawing a random mask per request.
    """
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        rotate_token(request)
        secret = request.META["CSRF_COOKIE"]
    return secret


def form_started_token() -> str:
    """A signed timestamp of when a form was served (for the minimum fill time).

    It changes once a second, so it is signed once a second.
    """
    now = int(time.time())
    second, token = _started_memo
    if second != now:
        token = signing.TimestampSigner(salt=STARTED_SALT).sign(str(now))
        _started_memo[:] = [now, token]
    return token


_started_memo: list = [None, ""]


def seconds_since_started(token: str) -> float | None:
    """Seconds since the form carrying ``token`` was served; None if it was forged."""
    try:
        started = int(signing.TimestampSigner(salt=STARTED_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return time.time() - started


def _etag(content: bytes) -> str:
    return f'W/"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in wanted or etag in wanted


def _respond(request: HttpRequest, entry: dict) -> HttpResponse:
    if _not_modified(request, entry["etag"]):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(_fill(request, entry["content"]))
    for name, value in entry["headers"].items():
        response[name] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = entry["last_modified"]
    return response


class _RecentPages:
    """This process's copies of the pages it served last, so that a hit costs one small
    read of the shared generation number instead of fetching the whole page.

    A copy is used only while its generation is the shared one, so a change made
    through any process is seen by all of them on their next request.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, generation: int) -> dict | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry["generation"] != generation:
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_recent = _RecentPages(size=256)


def _count_view(request: HttpRequest, article_id: int | None) -> None:
    if article_id is not None:
        from cms.services import article_view_record

        article_view_record(
            article_id=article_id,
            method=request.method,
            user_agent=request.headers.get("User-Agent", ""),
        )


class PageCacheMiddleware:
    """Answers anonymous page requests from the shared cache; stores what pages allow.

    Sits after CsrfViewMiddleware (which then sets the visitor's CSRF cookie when a
    hole is filled) and before AuthenticationMiddleware, so a hit touches no session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not eligible(request):
            return self.get_response(request)
        request.page_cache_eligible = True
        key = _key(request)
        generation = request_generation(request)
        entry = _recent.get(key, generation)
        if entry is None:
            entry = cache.get(key)
            if entry is not None and entry["generation"] == generation:
                _recent.put(key, entry)
        if entry is not None and entry["generation"] == generation:
            _count_view(request, entry["article_id"])
            response = _respond(request, entry)
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if response.streaming:
            return response
        directive = getattr(response, "page_cache", None)
        if directive is not None:
            _count_view(request, directive.article_id)
        foreign_cookies = response.cookies.keys() - {settings.CSRF_COOKIE_NAME}
        if directive is None or response.status_code != 200 or foreign_cookies:
            response.content = _fill(request, response.content)
            return response
        content = response.content
        entry = {
            "generation": generation,
            "content": content,
            "etag": _etag(content),
            "last_modified": http_date(),
            "article_id": directive.article_id,
            "headers": {
                name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
            },
        }
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        _recent.put(key, entry)
        filled = _respond(request, entry)
        for cookie in response.cookies.values():
            filled.cookies[cookie.key] = cookie
        filled["X-Page-Cache"] = "miss"
        return filled
