"""What an operator does to a database: prepare an empty one for production; and to
the files: move those an older release kept in the public media folder.

Backups and restores are in :mod:`lms.backups`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail import hooks
from wagtail.models import Page, Site

from lms.models import User
from lms.storage import PUBLIC_PREFIXES

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
    # The public site's app makes the home pages and points the Site at them: a
    # "bootstrap_site" hook, fn(*, hostname, port) -> the home page, raising
    # BootstrapRefused when the tree is not its own.
    homes = [fn(hostname=hostname, port=port) for fn in hooks.get_hooks("bootstrap_site")]
    report = BootstrapReport(
        roles=list(ROLES),
        home_pages={
            page.locale.language_code: page.get_full_url()
            for home in homes
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


# Files ---------------------------------------------------------------------------------------


@dataclass
class FilesMoveReport:
    private: list[str] = field(default_factory=list)  # moved into the private storage
    public: list[str] = field(default_factory=list)  # moved into the public storage
    in_place: int = 0  # renditions already where the public storage keeps them
    conflicts: list[str] = field(default_factory=list)  # a different file of that name
    development_key: bool = False


def _files_under(folder: Path):
    """Every file under ``folder`` as a storage name; top-level names starting with a
    dot (``.keys``, ``.gitkeep``) are left out."""
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and not name.startswith("."):
            yield name, path


def _same_file(storage, name: str, path: Path) -> bool:
    try:
        return storage.path(name) == str(path)
    except NotImplementedError:  # object storage: never the local folder
        return False


def _same_content(storage, name: str, path: Path) -> bool:
    with storage.open(name, "rb") as stored:
        return stored.read() == path.read_bytes()


def private_files_move(*, source: Path, dry_run: bool = False) -> FilesMoveReport:
    """Move the files an older release kept in one public folder (``MEDIA_ROOT``:
    certificate PDFs, signatures, documents, original images...) into the private
    storage, and image renditions into the public one (where they may already be).

    Run once after upgrading; running it again moves nothing. A file whose name is
    taken in the target by a different file is left where it is and reported. Also
    moves the signing key development generated (``.keys/``) beside the private files.
    """
    from django.core.files import File
    from django.core.files.storage import default_storage, storages

    report = FilesMoveReport()
    if not source.is_dir():
        return report
    public = storages["public"]
    for name, path in _files_under(source):
        target, moved = (
            (public, report.public)
            if name.startswith(PUBLIC_PREFIXES)
            else (default_storage, report.private)
        )
        if _same_file(target, name, path):
            report.in_place += 1
            continue
        if target.exists(name):
            if not _same_content(target, name, path):
                report.conflicts.append(name)
                continue
        elif not dry_run:
            with path.open("rb") as handle:
                saved = target.save(name, File(handle, name=name))
            if saved != name:  # the storage would not keep the name: leave it be
                target.delete(saved)
                report.conflicts.append(name)
                continue
        if not dry_run:
            path.unlink()
        moved.append(name)
    # Keys development generated (the certificate signing key) live in ``.keys/``
    # beside the private files, never under MEDIA_ROOT.
    keys = Path(settings.PRIVATE_MEDIA_ROOT) / ".keys"
    for old_key in sorted((source / ".keys").glob("*")):
        new_key = keys / old_key.name
        if old_key.is_file() and not new_key.exists() and old_key != new_key:
            report.development_key = True
            if not dry_run:
                new_key.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                old_key.replace(new_key)
    if not dry_run:
        _remove_empty_folders(source)
    return report


def _remove_empty_folders(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def private_files_in(folder: Path, *, limit: int = 5) -> list[str]:
    """Up to ``limit`` files under ``folder`` that are not image renditions: what an
    older release left in MEDIA_ROOT, where a web server would publish it."""
    found = []
    if folder.is_dir():
        for name, _path in _files_under(folder):
            if not name.startswith(PUBLIC_PREFIXES):
                found.append(name)
                if len(found) == limit:
                    break
    return found
