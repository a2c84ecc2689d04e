"""System checks of the site's configuration (``manage.py check --deploy``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

from lms.operations import private_files_in


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


@register(Tags.security, deploy=True)
def private_files_in_media_root_check(app_configs, **kwargs) -> list[Error]:
    """Nothing but image renditions in MEDIA_ROOT, the folder a web server may serve:
    an older release kept certificate PDFs (named by their public number), signatures
    and documents there."""
    found = private_files_in(Path(settings.MEDIA_ROOT))
    if not found:
        return []
    return [
        Error(
            f"MEDIA_ROOT ({settings.MEDIA_ROOT}) holds private files that a web server "
            f"serving it would publish: {', '.join(found)}" + ("..." if len(found) == 5 else ""),
            hint="Run `python manage.py move_private_files` once: it moves them into the "
            "private storage (PRIVATE_MEDIA_ROOT or the bucket's private/ prefix).",
            id="lms.E003",
        )
    ]
