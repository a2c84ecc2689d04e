"""System checks of the site's configuration (``manage.py check --deploy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs) -> list[Error]:
    """SITE_URL is set and on HTTPS: certificates print it and QR-encode it, so a wrong
    one is published for good."""
    site_url = getattr(settings, "SITE_URL", "")
    if not site_url:
        return [
            Error(
                "SITE_URL is not set.",
                hint="Set SITE_URL to the site's public address, e.g. "
                "SITE_URL=https://akim.example.kz: certificates, credentials, e-mails, "
                "feeds and the sitemap link to it.",
                id="lms.E001",
            )
        ]
    if urlsplit(site_url).scheme != "https":
        return [
            Error(
                f"SITE_URL is {site_url!r}, not an https:// address.",
                hint="Certificates print SITE_URL and QR-encode it, and production serves "
                "HTTPS only: use the https:// address visitors reach.",
                id="lms.E002",
            )
        ]
    return []
