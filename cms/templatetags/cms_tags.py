"""Template tags of the public pages: lazy embeds, cache-safe form fields, JSON-LD."""

from __future__ import annotations

import json

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException
from wagtail.models import Page

from cms import page_cache
from cms.models import ArticleIndexPage
from courses.models import CourseIndexPage
from lms.page_generation import GenerationMemo, request_generation

register = template.Library()


@register.simple_tag
def lazy_embed(url: str, max_width: int | None = None) -> SafeString:
    """A provider's embed HTML with its iframe loaded only when scrolled to.

    On a slow rural link a video player below the fold should cost nothing until the
    reader gets there. If the provider cannot be reached, nothing is shown and the
    text alternative or link still are.
    """
    try:
        html = embeds.get_embed(url, max_width=max_width).html
    except EmbedException:
        return mark_safe("")
    # The provider's HTML is trusted as Wagtail's {% embed %} trusts it.
    return mark_safe(html.replace("<iframe ", '<iframe loading="lazy" ', 1))  # noqa: S308


def _hidden_field(context, *, hole: bytes, name: str, value) -> SafeString:
    """A hidden field, or the page cache's hole for it when the page may be stored."""
    request = context["request"]
    if getattr(request, "page_cache_eligible", False):
        return mark_safe(hole.decode())  # noqa: S308 - a fixed marker
    return format_html('<input type="hidden" name="{}" value="{}">', name, value(request))


@register.simple_tag(takes_context=True)
def csrf_field(context) -> SafeString:
    """The CSRF field, or a hole the page cache fills with each visitor's own token."""
    return _hidden_field(
        context, hole=page_cache.CSRF_HOLE, name="csrfmiddlewaretoken", value=get_token
    )


@register.simple_tag(takes_context=True)
def form_started_field(context) -> SafeString:
    """The signed time the form was served (a bot that posts at once is turned away)."""
    return _hidden_field(
        context,
        hole=page_cache.STARTED_HOLE,
        name="started",
        value=lambda request: page_cache.form_started_token(),
    )


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(value: dict) -> SafeString:
    """A schema.org description as the body of a ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` are escaped so no text in it can close the script element.
    """
    text = json.dumps(value, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def site_nav_links(context) -> SafeString:
    """Menu links to this language's news and course catalogue.

    Kept in the process until a page is published, moved or deleted (the page
    generation), so the menu costs neither a query nor a cache read on any page.
    """
    language = get_language()
    request = context.get("request")
    host = request.get_host() if request is not None else ""
    links = _nav_memo.get(
        (language, host),
        lambda: _nav_links(language, request),
        generation=request_generation(request),
    )
    return format_html_join("", '<li><a href="{}">{}</a></li>', links)


_nav_memo = GenerationMemo(size=64)


def _nav_links(language: str, request) -> list[tuple[str, str]]:
    found = {
        page.specific_class: page
        for page in Page.objects.live()
        .public()
        .filter(locale__language_code=language)
        .type(ArticleIndexPage, CourseIndexPage)
        .order_by("path")
    }
    links = []
    for model, label in ((ArticleIndexPage, _("News")), (CourseIndexPage, _("Courses"))):
        page = found.get(model)
        if page is not None:
            links.append((page.get_url(request), str(label)))
    return links
