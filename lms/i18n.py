"""Which languages a page exists in."""

from __future__ import annotations

from wagtail.models import Page, Site

from lms.page_generation import GenerationMemo, request_generation

# Every page shows its language links: worked out once per page and address until the
# next publish, move or deletion, not on every request.
_memo = GenerationMemo(size=4096)


def page_translations(page: Page, request) -> tuple[dict[str, str], dict[str, str]]:
    """(URLs of the live translations of ``page`` by language code, the same with each
    missing language's home page filled in). One query the first time, then kept in
    the process until the page generation changes. The dictionaries are shared: read
    them, never change them."""
    memo = request.__dict__.setdefault("_page_translations", {})
    if page.pk in memo:
        return memo[page.pk]
    key = (request.get_host(), page.pk, page.translation_key)
    memo[page.pk] = _memo.get(
        key, lambda: _page_translations(page, request), generation=request_generation(request)
    )
    return memo[page.pk]


def _page_translations(page: Page, request) -> tuple[dict[str, str], dict[str, str]]:
    site = Site.find_for_request(request)
    home_key = site.root_page.translation_key if site else None
    keys = [page.translation_key] + ([home_key] if home_key else [])
    translations = (
        Page.objects.filter(translation_key__in=keys)
        .live()
        .select_related("locale")
        .only("id", "path", "depth", "url_path", "translation_key", "locale__language_code")
    )
    own: dict[str, str] = {}
    homes: dict[str, str] = {}
    for translation in translations:
        target = own if translation.translation_key == page.translation_key else homes
        target.setdefault(translation.locale.language_code, translation.get_url(request))
    return own, {**homes, **own}
