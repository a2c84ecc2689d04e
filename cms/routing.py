"""What every page request starts from, kept in the process: the Site and the home pages.

Wagtail looks up the Site of the request (one query), the active Locale (one query)
and the home page in that language, as its own type (one or two queries), before it
routes a single path component. They change only when a site or a page changes, so
each process keeps them under the page generation (:mod:`lms.page_generation`), which
every publish, unpublish, move and deletion and every Site change bumps. Each request
gets its own shallow copy, so nothing a request sets on them reaches another.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Page

from lms.page_generation import GenerationMemo, request_generation

_sites = GenerationMemo(size=64)
_homes = GenerationMemo(size=64)


def _prefixes() -> tuple[str, ...]:
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


_MISSING = object()


class SiteMiddleware:
    """Gives page requests (under a language prefix) the Site this process knows.

    Wagtail's ``Site.find_for_request`` answers from ``request._wagtail_site`` without
    a query when it is set. The Site is never looked up here: the first request that
    needs it (Wagtail's routing, a page URL) looks it up as usual, and it is kept from
    that response on, so a view that never asks costs nothing. Sits after the page
    cache, so a cache hit does not even look.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(_prefixes()):
            return self.get_response(request)
        key = (request._get_raw_host(), request.get_port())
        generation = request_generation(request)
        site = _sites.peek(key, generation=generation, default=_MISSING)
        if site is not _MISSING:
            request._wagtail_site = copy.copy(site) if site is not None else None
            return self.get_response(request)
        response = self.get_response(request)
        found = request.__dict__.get("_wagtail_site", _MISSING)
        if found is not _MISSING:
            if found is not None:
                # As its own type, so that ``site.root_page.localized`` is the home
                # page's memo below rather than Wagtail's queries (once per change).
                found = copy.copy(found)
                found.root_page = found.root_page.specific
                localized_home(found.root_page, request)  # and its language's home
            _sites.put(key, found, generation=generation)
        return response


def localized_home(home: Page, request: HttpRequest | None = None) -> Page:
    """``home.localized.specific``, from the process's memo.

    The live translation of ``home`` in the active language as its own page type, or
    ``home`` itself (as its own type) when there is none, as Wagtail's ``localized``
    answers.
    """
    language = get_language()
    found = _homes.get(
        (home.pk, language),
        lambda: Page.localized.fget(home).specific,
        generation=request_generation(request),
    )
    return copy.copy(found)
