"""Site-wide template tags: the language switcher."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

register = template.Library()


def _translation_urls(page: Page, request) -> dict[str, str]:
    """URL of each live translation of ``page``, by language code, falling back to
    that language's home page (one query for both)."""
    site = Site.find_for_request(request)
    home_key = site.root_page.translation_key if site else None
    keys = [page.translation_key] + ([home_key] if home_key else [])
    translations = (
        Page.objects.filter(translation_key__in=keys)
        .live()
        .select_related("locale")
        .only("id", "path", "depth", "url_path", "translation_key", "locale__language_code")
    )
    urls: dict[str, str] = {}
    for translation in sorted(
        translations, key=lambda t: t.translation_key != page.translation_key
    ):
        urls.setdefault(translation.locale.language_code, translation.get_url(request))
    return urls


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
        urls = _translation_urls(page, request)
    elif prefixed:
        urls = {code: translate_url(request.path, code) for code, _n in settings.LANGUAGES}
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


@register.filter
def minutes(value) -> int:
    """Whole minutes in a timedelta, rounded up (for "try again in N minutes")."""
    seconds = int(value.total_seconds()) if value else 0
    return max(1, -(-seconds // 60))
