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
from wagtail.models import Page, Site

from lms.page_generation import GenerationMemo, request_generation

_sites = GenerationMemo(size=64)
_homes = GenerationMemo(size=64)


def _prefixes() -> tuple[str, ...]:
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def _find_site(request: HttpRequest) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        # As its own type, so that ``site.root_page.localized`` is the home page's
        # memo below rather than Wagtail's queries.
        site.root_page = site.root_page.specific
    return site


class SiteMiddleware:
    """Gives page requests (under a language prefix) their Site from the process's memo.

    Wagtail's ``Site.find_for_request`` then answers from ``request._wagtail_site``
    without a query. Sits after the page cache, so a cache hit does not even look.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(_prefixes()):
            key = (request._get_raw_host(), request.get_port())
            site = _sites.get(
                key, lambda: _find_site(request), generation=request_generation(request)
            )
            request._wagtail_site = copy.copy(site) if site is not None else None
        return self.get_response(request)


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
