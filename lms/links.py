"""Absolute URLs, all made from ``SITE_URL``.

Certificates print and QR-encode their verification address, credentials name their
issuer by host, e-mails, feeds, the sitemap and canonical links are read on other
machines: each must carry the site's one public address, never the ``Host`` header of
the request that happened to produce it (a forged header would otherwise end up in a
signed credential or in a cached page) nor the Wagtail Site record (``localhost``
until ``bootstrap_site`` has run). Settings: ``SITE_URL`` (``lms/env.py``); development
and tests have their own defaults.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """``SITE_URL`` without a trailing slash (``https://akim.example.kz``)."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (``/ru/news/``) on the public site. A URL that already names its host
    (an image on object storage) is returned as it is."""
    if urlsplit(path).scheme:
        return path
    return site_url() + "/" + path.lstrip("/")


def rebased(url: str) -> str:
    """``url`` with its scheme and host replaced by ``SITE_URL``'s: for the full URLs
    Wagtail builds from the Site record (``http://localhost/ru/news/``)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return absolute_url(path)


def page_url(page, request=None) -> str | None:
    """A page's public address, or None when it is not routable."""
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    return absolute_url(parts[2])
