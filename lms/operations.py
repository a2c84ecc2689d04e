"""What an operator does to a database: prepare an empty one for production.

Backups and restores are in :mod:`lms.backups`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from lms.models import User

# The roles a migration creates (lms/migrations/0003_roles.py).
ROLES = ("Learners", "Trainers", "Methodologists", "Registrars")


class BootstrapRefused(Exception):
    """The database cannot be prepared as asked; the message says why and what to do."""


@dataclass
class BootstrapReport:
    roles: list[str]
    home_pages: dict[str, str]  # language -> public URL
    site: str  # "hostname:port"
    pages_before: int
    pages_after: int
    site_changed: bool
    administrators: int
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.pages_before != self.pages_after or self.site_changed


def site_address(site_url: str) -> tuple[str, int]:
    """The host name and port a Wagtail Site answers at for ``SITE_URL``."""
    parts = urlsplit(site_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BootstrapRefused(f"SITE_URL must be an http:// or https:// address: {site_url!r}")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def _site_state() -> tuple | None:
    site = Site.objects.filter(is_default_site=True).first()
    return None if site is None else (site.hostname, site.port, site.root_page_id)


@transaction.atomic
def site_bootstrap(*, site_url: str) -> BootstrapReport:
    """Prepare a migrated, empty database for production: check the roles, create the
    home pages in Russian (the site root), Kazakh and English, and point the default
    Wagtail Site at ``site_url``. Running it again changes nothing.

    Nothing here is demo content: no accounts, courses or news (``seed_demo`` adds
    those, and is refused in production).
    """
    from cms.services import SiteNotEmpty, home_pages_ensure

    if not site_url:
        raise BootstrapRefused(
            "SITE_URL is not set. Set it to the site's public address, e.g. "
            "SITE_URL=https://akim.example.kz: the Site record (and with it every "
            "absolute link) is made from it."
        )
    hostname, port = site_address(site_url)
    present = set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True))
    missing = [role for role in ROLES if role not in present]
    if missing:
        raise BootstrapRefused(
            f"The roles {', '.join(missing)} are missing. They are made by the migrations: "
            "run `python manage.py migrate` on a new database rather than deleting them."
        )
    pages_before, site_before = Page.objects.count(), _site_state()
    try:
        home = home_pages_ensure(hostname=hostname, port=port)
    except SiteNotEmpty as exc:
        raise BootstrapRefused(f"{exc}. bootstrap_site prepares an empty database only.") from exc
    report = BootstrapReport(
        roles=list(ROLES),
        home_pages={
            page.locale.language_code: page.get_full_url()
            for page in home.get_translations(inclusive=True).select_related("locale")
        },
        site=f"{hostname}:{port}",
        pages_before=pages_before,
        pages_after=Page.objects.count(),
        site_changed=_site_state() != site_before,
        administrators=User.objects.filter(is_superuser=True, is_active=True).count(),
    )
    if not report.administrators:
        report.notes.append(
            "No administrator yet: create one with `python manage.py createsuperuser`."
        )
    return report
