"""Site-wide template tags: the language switcher, and canonical and hreflang links."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, translate_url
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from wagtail.models import Page

from lms.i18n import page_translations
from lms.links import absolute_url
from lms.page_generation import DrawnMemo

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to this page in the other languages.

    On a Wagtail page: its translation, or that language's home page when there is
    none. On a view under a language prefix: the same path in the other language.
    Outside the prefix (sign-in pages) a link cannot carry the choice, so the
    template shows Django's set-language form instead.
    """
    request = context.get("request")
    current = get_language()
    page = context.get("page")
    prefixed = bool(request) and any(
        request.path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES
    )
    urls: dict[str, str] = {}
    if request is not None and isinstance(page, Page):
        urls = page_translations(page, request)[1]
    elif prefixed:
        urls = _translated_paths(request.path)
    languages = [
        {
            "code": code,
            "name": name,
            "url": urls.get(code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "languages": languages,
        "use_form": not urls,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


# The same path in each language, by the path, the URL patterns and the languages:
# worked out from the URL patterns alone (a resolve and a reverse per language), the
# same for everyone who opens that address; the least used fall out.
_paths_in_languages = DrawnMemo(size=1024)


def _translated_paths(path: str) -> dict[str, str]:
    """``translate_url`` of ``path`` into each language, drawn once per process."""
    codes = tuple(code for code, _name in settings.LANGUAGES)
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), path, codes)
    return _paths_in_languages.get(key, lambda: {code: translate_url(path, code) for code in codes})


@register.simple_tag(takes_context=True)
def alternate_links(context) -> SafeString:
    """``<link rel="canonical">`` and, on a page's own address, ``hreflang`` links to
    each language it really exists in (never to a fallback home page)."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    canonical = absolute_url(request.path)
    number = request.GET.get("page", "")
    if number.isdigit() and number != "1":
        canonical = f"{canonical}?page={number}"
    links = [format_html('<link rel="canonical" href="{}">', canonical)]
    page = context.get("page")
    if isinstance(page, Page) and not number:
        own = page_translations(page, request)[0]
        if own.get(get_language()) == request.path and len(own) > 1:
            links += [
                format_html(
                    '<link rel="alternate" hreflang="{}" href="{}">',
                    code,
                    absolute_url(url),
                )
                for code, url in own.items()
            ]
    return format_html_join("\n    ", "{}", ((link,) for link in links))


@register.filter
def site_datetime(value: datetime | None) -> str:
    """A moment in the site's time zone (Asia/Almaty), the zone named, whatever zone the
    viewer's admin profile or the page around it uses: a page never mixes two zones."""
    if value is None:
        return ""
    local = timezone.localtime(value, ZoneInfo(settings.TIME_ZONE))
    offset = local.isoformat()[-6:]  # "+05:00"
    return f"{date_format(local, 'DATETIME_FORMAT')} ({settings.TIME_ZONE}, UTC{offset})"


@register.filter
def minutes(value) -> int:
    """Whole minutes in a timedelta, rounded up (for "try again in N minutes")."""
    seconds = int(value.total_seconds()) if value else 0
    return max(1, -(-seconds // 60))
