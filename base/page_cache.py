"""Marking a page's response as one the page cache may keep, for any app's pages.

The page cache itself (the middleware that answers anonymous visitors from the shared
cache, and its invalidation on publish) is the public site's, ``cms.page_cache``. Pages
of apps below cms (the course catalogue and course overviews in ``courses``) mark
their responses here, in a layer they may import; cms reads the mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


@dataclass(frozen=True)
class Directive:
    """Set on a response as ``response.page_cache``: the page cache may store it."""

    article_id: int | None = None


def mark_cacheable(
    request: HttpRequest, response: HttpResponse, *, public: bool, article_id: int | None = None
) -> HttpResponse:
    """Give ``response`` its Cache-Control and, for an anonymous visitor whose request
    the page cache may answer, the mark that lets it store the page.

    ``public`` says whether a shared proxy may keep it too: not when the page carries
    a per-visitor CSRF token. Signed-in people always get ``private, no-cache``, and
    their pages are never stored.
    """
    # The same address serves a signed-in person a different page (their name, their
    # links, their progress): shared caches must key on the cookie.
    patch_vary_headers(response, ("Cookie",))
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
        return response
    if public:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
            s_maxage=settings.PAGE_CACHE_SECONDS,
        )
    else:
        patch_cache_control(response, private=True, no_cache=True)
    if getattr(request, "page_cache_eligible", False):
        response.page_cache = Directive(article_id=article_id)
    return response
