"""Views of the public site that are not pages: search."""

from __future__ import annotations

import re
import unicodedata

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from cms.models import ArticlePage
from courses.models import CoursePage
from lms.pagination import paginate

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 10


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search the news and the course catalogue of the visitor's language.

    Only live, public articles and course overviews are searched: never lessons, tests
    or drafts, whoever asks.
    """
    # Control characters are dropped: PostgreSQL refuses a NUL in a string, and none of
    # them means anything in a search box.
    query = "".join(
        char
        for char in request.GET.get("q", "")[:SEARCH_MAX_CHARS]
        if unicodedata.category(char) != "Cc"
    ).strip()
    # Words only: quotes and operators would reach the full-text engine's own syntax
    # (SQLite's FTS5 fails on a stray quote).
    words = " ".join(re.findall(r"\w+", query)[:SEARCH_MAX_WORDS])
    results = None
    if words:
        pages = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .type(ArticlePage, CoursePage)
        )
        results = paginate(request, pages.search(words), per_page=SEARCH_RESULTS_PER_PAGE)
        specific = {
            page.pk: page
            for page in Page.objects.filter(
                pk__in=[page.pk for page in results.object_list]
            ).specific()
        }
        results.object_list = [
            specific[page.pk] for page in results.object_list if page.pk in specific
        ]
    response = render(request, "cms/search.html", {"query": query, "results": results})
    response["X-Robots-Tag"] = "noindex"
    return response
